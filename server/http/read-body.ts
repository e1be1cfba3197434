/**
 * Reads a request body with a hard size limit and a deadline: refused early on Content-Length and again while
 * streaming (a client may lie about, or omit, the length), so an oversized upload never sits whole in memory; and a
 * client that has not sent its whole body within BODY_TIMEOUT_MS (a slow-loris upload, a client stuck mid-request)
 * is answered 408 and its stream cancelled, instead of holding a connection and a handler open indefinitely.
 */
import { AppError } from "../../lib/errors";

/** How long a client has to send its whole body, from when the handler starts reading it. */
export const BODY_TIMEOUT_MS = 10_000;

export async function readLimitedText(request: Request, maxBytes: number, timeoutMs = BODY_TIMEOUT_MS): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", `request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === "timeout") {
        reader.cancel().catch(() => undefined);
        throw new AppError(
          "REQUEST_TIMEOUT",
          `the request body was not received within ${timeoutMs / 1000} s (${total} bytes arrived${Number.isFinite(declared) ? ` of the ${declared} announced` : ""})`,
        );
      }
      const { done, value } = next;
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw new AppError("PAYLOAD_TOO_LARGE", `request body exceeds the limit of ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("INVALID_INPUT", "request body is not valid UTF-8");
  }
}
