import { errorResponse } from "@/server/http/json-response";
import { getPgPool } from "@/server/db/pg-pool";
import { createMetricsRegistry } from "@/server/drift/metrics";
import type { Registry } from "prom-client";

export const dynamic = "force-dynamic";

let registry: Promise<Registry> | null = null;

/** GET /metrics: Prometheus exposition (server/drift/metrics.ts). */
export async function GET(): Promise<Response> {
  try {
    registry ??= getPgPool().then(createMetricsRegistry);
    const r = await registry;
    return new Response(await r.metrics(), { headers: { "content-type": r.contentType, "cache-control": "no-store" } });
  } catch (error) {
    registry = null;
    return errorResponse(error);
  }
}
