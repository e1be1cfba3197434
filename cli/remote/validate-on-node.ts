/**
 * `validate-block --server URL`: asks a running node to validate (POST <URL>/api/v1/validate, no token, nothing
 * stored), for operators without a database of their own. The node's answer is the same lib validation the offline
 * form runs, plus what only the node knows: its registry, its stored predecessor and whether it stores the block.
 *
 * Failures are input errors (exit 2) that say what went wrong: a URL that is not http(s), a node that cannot be
 * reached, a node that refused the request (its status, code and message), or an answer that is not a validation.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import type { BlockResult, ValidationContext, ValidationResponse } from "../../server/validation/validate-blocks";

/** How long to wait for the node's answer. */
const TIMEOUT_MS = 60_000;

/** The validate endpoint under a node's base URL (a path prefix, e.g. behind a proxy, is kept). */
export function validateEndpoint(server: string): URL {
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new AppError("USAGE", `--server must be a URL such as http://127.0.0.1:3000, got ${describeValue(server)}`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new AppError("USAGE", `--server must be an http:// or https:// URL, got ${describeValue(server)}`);
  }
  if (base.username || base.password) throw new AppError("USAGE", "--server must not carry a user name or password (the validate route needs no credentials)");
  base.search = "";
  base.hash = "";
  base.pathname = `${base.pathname.replace(/\/+$/, "")}/api/v1/validate`;
  return base;
}

export interface RemoteValidation {
  result: BlockResult;
  context: ValidationContext;
  endpoint: string;
}

/** Sends one block (with an optional predecessor and registry) and returns the node's result for it. */
export async function validateOnNode(
  server: string,
  request: { block: unknown; predecessor?: unknown; registry?: unknown[] },
  fetchImpl: typeof fetch = fetch,
): Promise<RemoteValidation> {
  const endpoint = validateEndpoint(server);
  const body = JSON.stringify({
    blocks: [request.block],
    ...(request.predecessor === undefined ? {} : { predecessor: { block: request.predecessor } }),
    ...(request.registry === undefined ? {} : { registry: request.registry }),
  });
  let res: Response;
  try {
    res = await fetchImpl(endpoint, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new AppError("REMOTE_NODE_UNREACHABLE", `cannot reach the node at ${endpoint.origin} (${why})`);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("REMOTE_NODE_BAD_RESPONSE", `the server at ${endpoint.origin} answered ${res.status} with something that is not JSON: is it a MathLedger node?`);
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
    const code = typeof error?.code === "string" ? error.code : "unknown";
    const message = typeof error?.message === "string" ? error.message : describeValue(parsed);
    throw new AppError("REMOTE_NODE_REFUSED", `the node at ${endpoint.origin} refused the request (${res.status} ${code}): ${message}`);
  }
  const response = parsed as ValidationResponse;
  if (!response || !Array.isArray(response.results) || response.results.length !== 1 || !response.context) {
    throw new AppError("REMOTE_NODE_BAD_RESPONSE", `the server at ${endpoint.origin} did not answer with a validation result: is it a MathLedger node?`);
  }
  return { result: response.results[0], context: response.context, endpoint: endpoint.toString() };
}
