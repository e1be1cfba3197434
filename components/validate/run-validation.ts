/**
 * Runs a planned validation (batch-plan.ts) against POST /api/v1/validate, one request at a time, and, when asked,
 * validates each batch again in this browser with lib's own code and the noble hash suite, from the exact context the
 * node reports (registry, predecessor, clock), then compares the two reports. Cancelling (the AbortSignal) stops the
 * request in flight and the browser check between two chunks.
 */
import { nobleHashSuite } from "@/lib/crypto/hash-algorithms";
import type { Block } from "@/lib/consensus/block";
import { compareReports, validateForReport, type BlockReport, type ReportDifference } from "@/lib/validation/validation-report";
import type { BlockResult, ValidationContext, ValidationResponse } from "@/server/validation/validate-blocks";

import type { PlannedBatch } from "./batch-plan";

/** Blocks the browser validates between two yields to the page (keeps the progress bar and Cancel responsive). */
const BROWSER_CHUNK = 25;

/** The node refused a request: the push route's error shape, with the HTTP status. */
export class ValidationRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BatchOutcome {
  batch: PlannedBatch;
  /** The node's results, numbered by position in the whole input. */
  results: BlockResult[];
  context: ValidationContext;
  /** The browser's differences from the node (null when the cross-check is off). */
  differences: ReportDifference[] | null;
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function aborted(): never {
  throw new DOMException("The validation was cancelled", "AbortError");
}

/** Validates `blocks` in the browser from a node's context, in chunks, as the node did; numbered from `firstIndex`. */
export async function validateInBrowser(blocks: readonly unknown[], context: ValidationContext, firstIndex: number, signal: AbortSignal): Promise<BlockReport[]> {
  const reports: BlockReport[] = [];
  let prev: Block | null = context.predecessor.block;
  for (let i = 0; i < blocks.length; i += BROWSER_CHUNK) {
    if (signal.aborted) aborted();
    const chunk = blocks.slice(i, i + BROWSER_CHUNK);
    reports.push(...validateForReport(chunk, { epochs: context.registry.epochs, prev, suite: nobleHashSuite, now: context.now, firstIndex: firstIndex + i }));
    prev = chunk[chunk.length - 1] as Block;
    await pause();
  }
  return reports;
}

async function send(body: string, signal: AbortSignal): Promise<ValidationResponse> {
  const res = await fetch("/api/v1/validate", { method: "POST", headers: { "content-type": "application/json" }, body, signal });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* handled below */
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ValidationRequestError(res.status, error?.code ?? "HTTP_ERROR", error?.message ?? `the node answered ${res.status} ${res.statusText}`);
  }
  if (!parsed || typeof parsed !== "object" || !Array.isArray((parsed as ValidationResponse).results)) {
    throw new ValidationRequestError(res.status, "BAD_RESPONSE", "the node's answer is not a validation result");
  }
  return parsed as ValidationResponse;
}

/** Sends every batch in order; `onBatch` sees each outcome as it arrives. Throws AbortError when cancelled. */
export async function runValidation(
  batches: readonly PlannedBatch[],
  blocks: readonly unknown[],
  options: { signal: AbortSignal; crossCheck: boolean },
  onBatch: (outcome: BatchOutcome) => void,
): Promise<void> {
  for (const batch of batches) {
    if (options.signal.aborted) aborted();
    const response = await send(batch.body, options.signal);
    const results = response.results.map((r) => ({ ...r, index: r.index + batch.start }));
    let differences: ReportDifference[] | null = null;
    if (options.crossCheck) {
      const mine = await validateInBrowser(blocks.slice(batch.start, batch.end), response.context, batch.start, options.signal);
      differences = compareReports(results, mine);
    }
    onBatch({ batch, results, context: response.context, differences });
  }
}
