/**
 * Node reports: what a peer tells the radar about its view of the network (POST /api/v1/node-reports, and the
 * devnet's simulated peers). Read from untrusted JSON with a message naming the bad field.
 */
import { AppError } from "../errors";
import { describeValue } from "../encoding/hex";

export interface NodeReport {
  /** The reporting node (1..128 printable characters). */
  node_id: string;
  /** When the node observed this, Unix seconds. */
  observed_at: number;
  /** The node's tip, when it has one. */
  block_number: number | null;
  peer_count: number;
  /** Time from a block's timestamp to its arrival at this node, in milliseconds (mean over the reported blocks). */
  propagation_ms: number;
  /** Blocks received since the node's previous report, and how many of them ended up orphaned. */
  blocks_received: number;
  orphan_blocks: number;
}

export const MAX_NODE_REPORTS_PER_REQUEST = 100;

const NODE_ID = /^[\x21-\x7e]{1,128}$/;

function field<T>(raw: Record<string, unknown>, name: string, ok: (v: unknown) => v is T, expected: string, where: string): T {
  const v = raw[name];
  if (!ok(v)) throw new AppError("INVALID_INPUT", `${where}.${name} must be ${expected}, got ${describeValue(v)}`);
  return v;
}

const isUint = (max: number) => (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;
const isNonNegative = (max: number) => (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= max;

/** Reads one report, throwing AppError("INVALID_INPUT") naming the field that is wrong. */
export function parseNodeReport(input: unknown, where = "report"): NodeReport {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new AppError("INVALID_INPUT", `${where} must be a JSON object, got ${describeValue(input)}`);
  }
  const raw = input as Record<string, unknown>;
  const known = new Set(["node_id", "observed_at", "block_number", "peer_count", "propagation_ms", "blocks_received", "orphan_blocks"]);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) throw new AppError("INVALID_INPUT", `${where} has unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(", ")}`);
  const report: NodeReport = {
    node_id: field(raw, "node_id", (v): v is string => typeof v === "string" && NODE_ID.test(v), "1 to 128 printable ASCII characters without spaces", where),
    observed_at: field(raw, "observed_at", isNonNegative(1e11), "Unix seconds (a non-negative number)", where),
    block_number: raw.block_number === undefined || raw.block_number === null ? null : field(raw, "block_number", isUint(Number.MAX_SAFE_INTEGER), "a non-negative integer or null", where),
    peer_count: field(raw, "peer_count", isUint(1_000_000), "an integer 0..1000000", where),
    propagation_ms: field(raw, "propagation_ms", isNonNegative(86_400_000), "milliseconds, 0..86400000", where),
    blocks_received: field(raw, "blocks_received", isUint(1_000_000), "an integer 0..1000000", where),
    orphan_blocks: field(raw, "orphan_blocks", isUint(1_000_000), "an integer 0..1000000", where),
  };
  if (report.orphan_blocks > report.blocks_received) {
    throw new AppError("INVALID_INPUT", `${where}.orphan_blocks (${report.orphan_blocks}) cannot exceed blocks_received (${report.blocks_received})`);
  }
  return report;
}

/** A body of one report, an array, or {"reports": [...]}, at most MAX_NODE_REPORTS_PER_REQUEST. */
export function parseNodeReports(body: unknown): NodeReport[] {
  let list: unknown;
  if (Array.isArray(body)) list = body;
  else if (body && typeof body === "object" && "reports" in body) list = (body as { reports: unknown }).reports;
  else list = [body];
  if (!Array.isArray(list)) throw new AppError("INVALID_INPUT", `"reports" must be an array, got ${describeValue(list)}`);
  if (list.length === 0) throw new AppError("INVALID_INPUT", "no reports in the request");
  if (list.length > MAX_NODE_REPORTS_PER_REQUEST) throw new AppError("INVALID_INPUT", `${list.length} reports in one request; the limit is ${MAX_NODE_REPORTS_PER_REQUEST}`);
  return list.map((r, i) => parseNodeReport(r, list.length > 1 ? `reports[${i}]` : "report"));
}
