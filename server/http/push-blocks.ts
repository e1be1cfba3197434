/**
 * POST /api/v1/blocks: a node pushes blocks. The body is one block (a JSON object), an array of blocks, or
 * {"blocks": [...]}, at most MAX_BLOCKS_PER_PUSH blocks and MATHLEDGER_MAX_PUSH_BYTES bytes; the request carries the
 * node token as `Authorization: Bearer <token>`, and each token may push MATHLEDGER_RATE_LIMIT_PUSH requests per window
 * (429 with Retry-After beyond it). Every check happens before the ingest transaction, and the ingest
 * itself is all-or-nothing, so a refused request writes nothing.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { readConfig } from "../config";
import { getPgPool } from "../db/pg-pool";
import { ingestBlocks, type IngestSummary } from "../ingest/ingest-blocks";
import { configuredNodeToken, tokenMatches } from "../node-token";
import { enforceRateLimit } from "../security/rate-limit";
import { readLimitedText } from "./read-body";
import { NODE_ID_PATTERN, RELAY_FROM_HEADER } from "../../lib/relay/peers-config";
import { countReceived } from "../relay/relay-received";
import type pg from "pg";
import { errorResponse, json } from "./json-response";

export const MAX_BLOCKS_PER_PUSH = 1000;

/** Checks the node token; returns the token presented (authenticated). */
export function authenticate(request: Request, expected: string | null = configuredNodeToken()): string {
  if (!expected) throw new AppError("FORBIDDEN", "this node accepts no pushed blocks: no node token is configured (set MATHLEDGER_NODE_TOKEN)");
  const header = request.headers.get("authorization");
  if (!header) throw new AppError("UNAUTHENTICATED", "missing node token: send `Authorization: Bearer <token>`");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("UNAUTHENTICATED", "malformed Authorization header: expected `Bearer <token>`");
  if (!tokenMatches(match[1], expected)) throw new AppError("FORBIDDEN", "wrong node token");
  return match[1];
}

/** The blocks in a parsed body, or AppError("INVALID_INPUT") saying what shape was expected. */
export function blocksFromBody(body: unknown): unknown[] {
  let blocks: unknown;
  if (Array.isArray(body)) blocks = body;
  else if (body && typeof body === "object" && "blocks" in body) blocks = (body as { blocks: unknown }).blocks;
  else if (body && typeof body === "object") blocks = [body];
  else throw new AppError("INVALID_INPUT", `body must be a block object, an array of blocks or {"blocks": [...]}, got ${describeValue(body)}`);
  if (!Array.isArray(blocks)) throw new AppError("INVALID_INPUT", `"blocks" must be an array, got ${describeValue(blocks)}`);
  if (blocks.length === 0) throw new AppError("INVALID_INPUT", "no blocks in the request");
  if (blocks.length > MAX_BLOCKS_PER_PUSH) throw new AppError("INVALID_INPUT", `${blocks.length} blocks in one request; the limit is ${MAX_BLOCKS_PER_PUSH}`);
  return blocks;
}

/**
 * The node a push is addressed to. The route uses this process's (its pool, token and limits); tests of the relay run
 * several nodes in one process, each with its own.
 */
export interface PushTarget {
  pool: pg.Pool;
  token: string | null;
  maxPushBytes: number;
}

/** The relaying peer's id from the request (null for an ordinary push); a malformed id is refused. */
export function relayFrom(request: Request): string | null {
  const value = request.headers.get(RELAY_FROM_HEADER);
  if (value === null) return null;
  if (!NODE_ID_PATTERN.test(value)) throw new AppError("INVALID_INPUT", `X-MathLedger-Relay-From must be a node id (1 to 64 lowercase letters, digits or '-'), got ${describeValue(value)}`);
  return value;
}

export async function pushBlocks(request: Request, target?: PushTarget): Promise<IngestSummary> {
  const config = readConfig();
  const token = authenticate(request, target ? target.token : configuredNodeToken());
  const from = relayFrom(request);
  // Per token, before the body is read: a runaway or compromised node cannot make this server ingest without end.
  await enforceRateLimit("push", token, target ? { pool: target.pool } : {});
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be application/json, got ${describeValue(type || "none")}`);
  }
  const text = await readLimitedText(request, target?.maxPushBytes ?? config.MATHLEDGER_MAX_PUSH_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError("INVALID_INPUT", `body is not valid JSON: ${(error as Error).message}`);
  }
  const blocks = blocksFromBody(body);
  const [pool, suite] = await Promise.all([target ? target.pool : getPgPool(), loadWasmHashSuite()]);
  return ingestBlocks(pool, blocks, {
    source: "http",
    suite,
    now: Math.floor(Date.now() / 1000),
    relayFrom: from,
    // What arrived over the relay is counted with the blocks it stored, in their transaction.
    beforeCommit: from ? (client, summary) => countReceived(client, from, { blocks: summary.stored, duplicates: summary.duplicates, bytes: Buffer.byteLength(text) }) : undefined,
  });
}

/** The route's whole answer: 201 with the per-block verdicts when something was stored, 200 when all were known. */
export async function handlePushBlocks(request: Request, target?: PushTarget): Promise<Response> {
  try {
    const summary = await pushBlocks(request, target);
    const { storedIds: _ids, ...body } = summary;
    return json(body, summary.stored > 0 ? 201 : 200);
  } catch (error) {
    return errorResponse(error);
  }
}
