import { json } from "@/server/http/json-response";
import { getPgPool } from "@/server/db/pg-pool";
import { heartbeatAgeSeconds } from "@/server/chain/heartbeat";
import { databaseUnavailableMessage, databaseUnavailableReason } from "@/server/db/database-errors";

export const dynamic = "force-dynamic";

/**
 * GET /api/health: liveness. 200 with {"status": "healthy"} when the database answers and a worker beat within the
 * last 30 s; 503 with the reason otherwise (the web server itself is evidently alive if it answers).
 */
export async function GET(): Promise<Response> {
  let database = false;
  let age: number | null = null;
  let error: string | null = null;
  try {
    const pool = await getPgPool();
    await pool.query("SELECT 1");
    database = true;
    age = await heartbeatAgeSeconds(pool);
  } catch (e) {
    const reason = databaseUnavailableReason(e);
    error = reason ? databaseUnavailableMessage(reason) : (e as Error).message;
  }
  const workerAlive = age !== null && age <= 30;
  const healthy = database && workerAlive;
  return json(
    {
      status: healthy ? "healthy" : "unhealthy",
      web: "up",
      database: database ? "reachable" : "unreachable",
      worker_heartbeat_age_seconds: age === null ? null : Math.round(age * 10) / 10,
      ...(healthy ? {} : { reason: error ?? (database ? (age === null ? "no worker has reported yet" : `last worker heartbeat ${Math.round(age!)} s ago`) : "database unreachable") }),
    },
    healthy ? 200 : 503,
  );
}
