/**
 * The plan's standalone drift radar agent (`mathledger-cli radar`, deploy/mathledger-drift-radar.service): runs the
 * monitors and the alert outbox against the node's database, and serves
 *   GET /health          {"status": "healthy"} (503 {"status": "unhealthy", "reason"} when the database is not answering)
 *   GET /api/v1/status   the same body as the web server's (current_block at the top level)
 * The agent and the worker never both run the monitors on one database: both take the "drift-radar" lease, and
 * only its holder reads (server/drift/radar-runner.ts). An agent that does not hold it stands by and says so.
 */
import http from "node:http";
import type pg from "pg";
import type { RadarAlertConfig } from "../../lib/drift/radar-config";
import { DEFAULT_RADAR_THRESHOLDS } from "../../lib/drift/radar-thresholds";
import { getChainStatus } from "../chain/chain-status";
import { startAlerting } from "./alerting";
import { RadarRunner } from "./radar-runner";

export interface RadarAgentOptions {
  pool: pg.Pool;
  port: number;
  host: string;
  holder: string;
  alertConfig: RadarAlertConfig;
  expectedIntervalSeconds: number;
  resolveAfter: number;
  log: (message: string) => void;
}

export interface RunningAgent {
  port: number;
  /** Whether this agent holds the lease (runs the monitors) as of its last tick. */
  active(): boolean;
  stop(): Promise<void>;
}

export async function startRadarAgent(o: RadarAgentOptions): Promise<RunningAgent> {
  const alerting = await startAlerting(o.pool, o.alertConfig, o.log);
  const runner = new RadarRunner(o.pool, { holder: o.holder, sink: alerting.sink, thresholds: { ...DEFAULT_RADAR_THRESHOLDS, resolve_after_clean: o.resolveAfter } });
  let active = false;
  let stopping = false;
  let running = false;
  const timer = setInterval(async () => {
    if (running || stopping) return;
    running = true;
    try {
      const out = await runner.tick();
      if (out.active !== active) o.log(out.active ? "holds the drift-radar lease: running the monitors" : "another process holds the drift-radar lease: standing by");
      active = out.active;
      for (const e of out.raised) o.log(`drift ${e.severity} ${e.drift_category} at block ${e.block_number ?? "?"}: ${e.message}`);
      for (const e of out.governance) o.log(`governance ${e.kind} routed as ${e.severity}: ${e.message}`);
    } catch (error) {
      o.log(`radar: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  }, 500);

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(body, null, 2) + "\n");
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "only GET" } });
    if (path === "/health") {
      o.pool
        .query("SELECT 1")
        .then(() => send(res, 200, { status: "healthy", monitors: active ? "running" : "standby" }))
        .catch((error: Error) => send(res, 503, { status: "unhealthy", reason: `database: ${error.message}` }));
      return;
    }
    if (path === "/api/v1/status") {
      getChainStatus(o.pool, { expectedIntervalSeconds: o.expectedIntervalSeconds })
        .then((s) => send(res, 200, s))
        .catch(() => send(res, 503, { error: { code: "DATABASE_UNAVAILABLE", message: "the database is not answering" } }));
      return;
    }
    send(res, 404, { error: { code: "NOT_FOUND", message: `no route ${path} (GET /health, GET /api/v1/status)` } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    active: () => active,
    async stop() {
      stopping = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 20));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop().catch(() => undefined);
      await alerting.stop().catch(() => undefined);
    },
  };
}
