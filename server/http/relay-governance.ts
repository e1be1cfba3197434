/**
 * POST /api/v1/relay/governance: a peer relays a governance decision (lib/relay/governance-record.ts) with this
 * node's token, as for POST /api/v1/blocks, and X-MathLedger-Relay-From naming itself. 201 when this node verified
 * the record and registered its epoch, 200 when the epoch was already registered, 4xx with the governance reason code
 * (BAD_SIGNATURE_*, UNKNOWN_SIGNER, MISSING_ROLE, THRESHOLD_NOT_MET, ...) and nothing registered otherwise.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { readConfig } from "../config";
import { getPgPool } from "../db/pg-pool";
import { configuredNodeToken } from "../node-token";
import { receiveGovernanceRecord } from "../relay/governance-relay";
import { enforceRateLimit } from "../security/rate-limit";
import { errorResponse, json } from "./json-response";
import { authenticate, relayFrom, type PushTarget } from "./push-blocks";
import { readLimitedText } from "./read-body";

export async function handleRelayGovernance(request: Request, target?: PushTarget): Promise<Response> {
  try {
    const config = readConfig();
    const token = authenticate(request, target ? target.token : configuredNodeToken());
    const from = relayFrom(request);
    await enforceRateLimit("push", token, target ? { pool: target.pool } : {});
    const type = request.headers.get("content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be application/json, got ${describeValue(type || "none")}`);
    const text = await readLimitedText(request, target?.maxPushBytes ?? config.MATHLEDGER_MAX_PUSH_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AppError("INVALID_INPUT", `body is not valid JSON: ${(error as Error).message}`);
    }
    const pool: pg.Pool = target ? target.pool : await getPgPool();
    const received = await receiveGovernanceRecord(pool, body, from, Buffer.byteLength(text));
    return json(received, received.outcome === "registered" ? 201 : 200);
  } catch (error) {
    return errorResponse(error);
  }
}
