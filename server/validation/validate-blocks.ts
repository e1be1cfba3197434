/**
 * Validation on demand (issue 11): judges blocks with the consensus core as ingest would, against a predecessor and a
 * registry that default to this node's, and says for each whether this node already stores the same content. Nothing
 * is written: everything runs in one READ ONLY transaction (PostgreSQL refuses any write in it), which also gives one
 * consistent snapshot of registry, predecessor and stored twins. A validation is not drift evidence: no row, no
 * metric, no violation is recorded.
 */
import type pg from "pg";
import { withTransaction } from "../db/transaction";

import { AppError } from "../../lib/errors";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import type { Block } from "../../lib/consensus/block";
import { parseEpochRegistry, type Epoch } from "../../lib/consensus/epochs";
import { hasWellFormedHeader, parseBlock } from "../../lib/consensus/parse-block";
import { summarizeReports, validateForReport, type BlockReport } from "../../lib/validation/validation-report";
import { loadCanonicalBlock } from "../chain/canonical-blocks";
import { blockFromRow, type BlockHeaderRow } from "../chain/block-rows";
import { loadEpochRegistry } from "../chain/epoch-registry";
import type { PredecessorChoice, ValidateRequest } from "./validate-request";

/** A stored block with the same content id as a validated one. */
export interface StoredTwin {
  content_id: string;
  block_number: number;
  canonical: boolean;
  /** The verdict this node stored it with. */
  verdict: string;
  /** Its page in the portal. */
  link: string;
}

export type BlockResult = BlockReport & { stored: StoredTwin | null };

export interface ValidationContext {
  registry: { source: "node" | "inline"; epochs: Epoch[] };
  predecessor: {
    source: "store" | "inline" | "none";
    /** Why there is none, or where it came from, in words. */
    note: string;
    /** The predecessor as used (with its statements), so a client can repeat the validation exactly. */
    block: Block | null;
  };
  /** The validator's clock (Unix seconds) used for TIMESTAMP_IN_FUTURE. */
  now: number;
  /** The hash implementation the server used. */
  implementation: string;
}

export interface ValidationResponse {
  results: BlockResult[];
  summary: { checked: number; valid: number; invalid: number; violations: number; stored: number };
  context: ValidationContext;
}

export interface ValidateOptions {
  suite: HashSuite;
  /** Unix seconds. */
  now: number;
}

/** The portal page of a stored block: canonical blocks by height, any other by content id (as components/chain). */
function twinLink(twin: { block_number: number; canonical: boolean; content_id: string }): string {
  return twin.canonical ? `/blocks/${twin.block_number}` : `/blocks/id/${twin.content_id}`;
}

async function readOnly<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, fn, { begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" });
}

function inlineRegistry(value: unknown[]): Epoch[] {
  try {
    return parseEpochRegistry(value);
  } catch (error) {
    const code = error instanceof AppError ? `${error.code}: ` : "";
    throw new AppError("INVALID_INPUT", `registry: ${code}${(error as Error).message}`);
  }
}

async function storedBlockByContentId(client: pg.PoolClient, contentId: string): Promise<Block | null> {
  const { rows } = await client.query<BlockHeaderRow & { id: string }>(
    `SELECT id, block_number, timestamp, prev_hash, merkle_root, pq_algorithm, pq_prev_hash, pq_merkle_root, dual_commitment
     FROM blocks WHERE content_id = $1`,
    [contentId],
  );
  if (!rows[0]) return null;
  const statements = await client.query<{ text: string }>("SELECT text FROM statements WHERE block_id = $1 ORDER BY position", [rows[0].id]);
  return blockFromRow(rows[0], statements.rows.map((s) => s.text));
}

async function resolvePredecessor(client: pg.PoolClient, choice: PredecessorChoice | undefined, first: unknown): Promise<ValidationContext["predecessor"]> {
  if (choice === null) return { source: "none", note: "none requested: the first block is judged alone", block: null };
  if (choice && "block" in choice) {
    const parsed = parseBlock(choice.block);
    const malformed = parsed.problems.filter((p) => p.kind === "malformed");
    if (!hasWellFormedHeader(choice.block) || malformed.some((p) => !p.field.startsWith("statements"))) {
      throw new AppError("INVALID_INPUT", `predecessor.block is not a well-formed block header: ${malformed.map((p) => p.message).join("; ")}`);
    }
    return { source: "inline", note: `block ${parsed.block.block_number} given in the request`, block: { ...parsed.block } };
  }
  if (choice && "block_number" in choice) {
    const block = await loadCanonicalBlock(client, choice.block_number);
    if (!block) throw new AppError("INVALID_INPUT", `predecessor: this node stores no canonical block ${choice.block_number}`);
    return { source: "store", note: `canonical block ${choice.block_number} of this node`, block };
  }
  if (choice && "content_id" in choice) {
    const block = await storedBlockByContentId(client, choice.content_id);
    if (!block) throw new AppError("INVALID_INPUT", `predecessor: this node stores no block with content id ${choice.content_id}`);
    return { source: "store", note: `stored block ${choice.content_id} (block ${block.block_number})`, block };
  }
  // Default: the canonical block below the first one, when the first one's number can be read and is not genesis.
  const parsed = parseBlock(first);
  if (!parsed.hasBlockNumber) return { source: "none", note: "the first block's number is unreadable", block: null };
  const n = parsed.block.block_number;
  if (n === 0) return { source: "none", note: "the first block is a genesis block (block 0)", block: null };
  const block = await loadCanonicalBlock(client, n - 1);
  return block
    ? { source: "store", note: `canonical block ${n - 1} of this node`, block }
    : { source: "none", note: `this node stores no canonical block ${n - 1}: the first block's links are not checked`, block: null };
}

/** Validates `request` (see the module comment). Throws AppError("INVALID_INPUT") for a bad predecessor or registry. */
export async function validateBlocksOnDemand(pool: pg.Pool, request: ValidateRequest, options: ValidateOptions): Promise<ValidationResponse> {
  return readOnly(pool, async (client) => {
    const registry: ValidationContext["registry"] =
      request.registry === undefined || request.registry === "node"
        ? { source: "node", epochs: await loadEpochRegistry(client) }
        : { source: "inline", epochs: inlineRegistry(request.registry) };
    if (registry.epochs.length === 0) throw new AppError("NO_EPOCH_REGISTRY", "this node has no epoch registry yet; send an inline \"registry\"");
    const predecessor = await resolvePredecessor(client, request.predecessor, request.blocks[0]);
    const reports = validateForReport(request.blocks, { epochs: registry.epochs, prev: predecessor.block, suite: options.suite, now: options.now });

    const ids = reports.map((r) => r.content_id).filter((id): id is string => id !== null);
    const { rows } = ids.length
      ? await client.query<{ content_id: string; block_number: number; canonical: boolean; verdict: string }>(
          "SELECT content_id, block_number, canonical, verdict FROM blocks WHERE content_id = ANY($1::text[])",
          [ids],
        )
      : { rows: [] };
    const twins = new Map(rows.map((r) => [r.content_id, { ...r, block_number: Number(r.block_number), link: twinLink(r) }]));
    const results = reports.map((r) => ({ ...r, stored: (r.content_id && twins.get(r.content_id)) || null }));
    return {
      results,
      summary: { ...summarizeReports(reports), stored: results.filter((r) => r.stored).length },
      context: { registry, predecessor, now: options.now, implementation: options.suite.implementation },
    };
  });
}
