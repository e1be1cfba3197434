/**
 * POST /api/v1/node-reports: a node reports its view of the network (peer count, propagation time, orphans) for
 * the drift radar's network monitor. Same authentication as POST /api/v1/blocks (the node token); the body is one
 * report, an array or {"reports": [...]} (lib/drift/node-report.ts), at most 64 KiB; all or nothing.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { parseNodeReports } from "../../lib/drift/node-report";
import { getPgPool } from "../db/pg-pool";
import { insertNodeReports } from "../drift/node-reports";
import { authenticate } from "./push-blocks";
import { readLimitedText } from "./read-body";

export const MAX_NODE_REPORT_BYTES = 64 * 1024;

export async function postNodeReports(request: Request): Promise<{ accepted: number }> {
  authenticate(request);
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be application/json, got ${describeValue(type || "none")}`);
  }
  const text = await readLimitedText(request, MAX_NODE_REPORT_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError("INVALID_INPUT", `body is not valid JSON: ${(error as Error).message}`);
  }
  const reports = parseNodeReports(body);
  await insertNodeReports(await getPgPool(), reports);
  return { accepted: reports.length };
}
