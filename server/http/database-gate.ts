/**
 * Pages answer 503 while the database is down.
 *
 * Next.js cannot give a page any error status but 500 (an exception while rendering) or 401/403/404 (its
 * access-fallback errors), so a page whose data cannot be read would answer "500 Internal Server Error" during a
 * PostgreSQL outage: wrong (nothing is broken in the product) and alarming. The proxy (proxy.ts) asks this module
 * first: one `SELECT 1` on the process's pool, answered within PROBE_TIMEOUT_MS; when it fails, the page request gets
 * a small self-contained 503 page saying what is wrong and that the node reconnects by itself, with Retry-After.
 *
 * Concurrent page requests share one probe. The JSON APIs do not go through here: their handlers map the same
 * failures to 503 themselves (json-response.ts, the tRPC databaseProcedure, /api/health).
 */
import { getPgPool } from "../db/pg-pool";
import { databaseUnavailableMessage, databaseUnavailableReason } from "../db/database-errors";

/** A page must answer within 2 s during an outage; a stopped server refuses at once, a frozen one takes this long. */
export const PROBE_TIMEOUT_MS = 1_500;

let probing: Promise<string | null> | null = null;

/** Null when the database answers, else why not (a short reason). */
export function probeDatabase(): Promise<string | null> {
  probing ??= runProbe().finally(() => {
    probing = null;
  });
  return probing;
}

async function runProbe(): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`), PROBE_TIMEOUT_MS);
  });
  const probe = (async () => {
    try {
      const pool = await getPgPool();
      await pool.query("SELECT 1");
      return null;
    } catch (error) {
      return databaseUnavailableReason(error) ?? firstLine(error);
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The 503 response for a page request while the database is down, or null when it answers. */
export async function pageOutageResponse(): Promise<Response | null> {
  const reason = await probeDatabase();
  return reason === null ? null : outagePage(reason);
}

/** The 503 page itself: no scripts, no external resources, readable without CSS. */
export function outagePage(reason: string): Response {
  const message = escapeHtml(databaseUnavailableMessage(reason));
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>Database unreachable · MathLedger PQ</title>
</head>
<body style="font-family: system-ui, sans-serif; background: #0f172a; color: #e2e8f0; margin: 0; padding: 2rem 1rem;">
<main style="max-width: 40rem; margin: 0 auto;">
<h1 style="font-size: 1.5rem;">Database unreachable</h1>
<p role="alert">${message}</p>
<p>Nothing is shown rather than stale or partial data. This page reloads itself every 10 seconds;
<a href="" style="color: #7dd3fc;">reload now</a>.</p>
<p style="color: #cbd5e1; font-size: 0.875rem;">Operators: check that PostgreSQL is running and that DATABASE_URL (or the
embedded database in the data directory) is the one the node uses. <code>GET /api/health</code> reports the same state as JSON.</p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": "5" },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].slice(0, 200);
}
