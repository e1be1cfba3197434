/**
 * POST /api/v1/validate: validation on demand over plain HTTP (server/validation/validate-blocks.ts). No node token:
 * nothing is written. The body is limited like a push (MATHLEDGER_MAX_PUSH_BYTES), must be application/json, and is
 * read with lib's JSON text reader, so a body that is not JSON or nests too deep is refused with the line and column
 * of the problem. Errors have the push route's shape: {"error": {"code", "message"}} with 400, 413 or 415.
 *
 * `?format=csv` or `?format=json` answers the results as a download (lib/export/tabular.ts, one row per violation)
 * instead of the API document.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { describeJsonTextError, parseJsonText } from "../../lib/encoding/json-text";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { exportFileName, formatTable, isExportFormat, EXPORT_CONTENT_TYPES, type ExportFormat } from "../../lib/export/tabular";
import { VALIDATION_RESULT_COLUMNS, validationResultRows } from "../../lib/validation/result-table";
import { clientAddress } from "../../lib/security/client-address";
import { enforceRateLimit } from "../security/rate-limit";
import { readConfig } from "../config";
import { getPgPool } from "../db/pg-pool";
import { validateBlocksOnDemand, type ValidationResponse } from "../validation/validate-blocks";
import { validateRequestFromBody } from "../validation/validate-request";
import { readLimitedText } from "./read-body";

/** The `format` query parameter: null for the API document, else an export format. */
export function requestedFormat(url: URL): ExportFormat | null {
  const format = url.searchParams.get("format");
  if (format === null || format === "") return null;
  if (!isExportFormat(format)) throw new AppError("INVALID_INPUT", `format must be csv or json, got ${describeValue(format)}`);
  return format;
}

/** Reads, checks and validates the request; throws AppError for every refusal. */
export async function validateFromRequest(request: Request): Promise<ValidationResponse> {
  const config = readConfig();
  // Validation costs the server real work and needs no token: limited per client address (issue 12 §3), before the
  // body is read. Behind the reverse proxy (deploy/nginx.conf) the address is the proxy's X-Forwarded-For entry.
  await enforceRateLimit("validate", clientAddress(request.headers.get("x-forwarded-for")));
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be application/json, got ${describeValue(type || "none")}`);
  }
  const text = await readLimitedText(request, config.MATHLEDGER_MAX_PUSH_BYTES);
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new AppError("INVALID_INPUT", `body is not valid JSON: ${describeJsonTextError(parsed.error)}`);
  const input = validateRequestFromBody(parsed.value);
  const [pool, suite] = await Promise.all([getPgPool(), loadWasmHashSuite()]);
  return validateBlocksOnDemand(pool, input, { suite, now: Math.floor(Date.now() / 1000) });
}

/** The results as a CSV or JSON download. */
export function validationExport(response: ValidationResponse, format: ExportFormat): Response {
  const body = formatTable(format, VALIDATION_RESULT_COLUMNS, response.results.flatMap((r) => validationResultRows(r)));
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": EXPORT_CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${exportFileName("validation-results", format)}"`,
      "cache-control": "no-store",
    },
  });
}
