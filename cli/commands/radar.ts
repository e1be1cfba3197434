/**
 * `mathledger-cli radar [--port 9091]`: the standalone drift radar agent (server/drift/radar-agent.ts). Runs until
 * SIGINT or SIGTERM. The systemd unit deploy/mathledger-drift-radar.service runs it.
 */
import os from "node:os";
import { AppError } from "../../lib/errors";
import { defineCommand } from "../command";
import { withChainDatabase } from "../database";

export const radarCommand = defineCommand({
  name: "radar",
  summary: "run the drift radar agent: the monitors, alerting, GET /health and GET /api/v1/status",
  description:
    "Runs the drift radar's monitors and alert outbox against the node's database as a standalone process, and serves " +
    "GET /health and GET /api/v1/status (the web server's body) on --port (default 9091) of --host (default " +
    "127.0.0.1). The worker runs the same monitors; both take one lease, so only one of them runs them at a time " +
    "and no event is raised twice (set MATHLEDGER_RADAR=off on the worker to leave it to the agent). Alerting reads " +
    "MATHLEDGER_RADAR_CONFIG. Runs until SIGINT or SIGTERM, then exits 0.",
  flags: {
    port: { kind: "integer", value: "PORT", description: "port for /health and /api/v1/status (default 9091; 0: any free port)" },
    host: { kind: "string", value: "ADDRESS", description: "address to listen on (default 127.0.0.1)" },
  },
  examples: ["mathledger-cli radar", "mathledger-cli radar --port 9191 --host 0.0.0.0"],
  async run(flags, context) {
    const port = flags.port ?? 9091;
    if (port < 0 || port > 65535) throw new AppError("USAGE", `--port must be 0..65535, got ${port}`);
    const [{ readConfig }, { loadRadarAlertConfig }, { startRadarAgent }, { randomBytes }] = await Promise.all([
      import("../../server/config"),
      import("../../server/drift/radar-config-file"),
      import("../../server/drift/radar-agent"),
      import("node:crypto"),
    ]);
    const config = readConfig(context.env);
    const alertConfig = loadRadarAlertConfig(context.env);
    const log = (m: string) => context.stderr.write(`[radar ${new Date().toISOString()}] ${m}\n`);
    return withChainDatabase(context, async ({ pool, url }) => {
      const agent = await startRadarAgent({
        pool,
        port,
        host: flags.host ?? "127.0.0.1",
        holder: `radar-agent:${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
        alertConfig,
        expectedIntervalSeconds: config.MATHLEDGER_DEVNET_INTERVAL,
        resolveAfter: config.MATHLEDGER_RADAR_RESOLVE_AFTER,
        log,
      });
      log(`listening on http://${flags.host ?? "127.0.0.1"}:${agent.port} (GET /health, GET /api/v1/status); database ${url}`);
      const signal = await new Promise<string>((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
      });
      log(`${signal}: stopping`);
      await agent.stop();
      return { outcome: "ok", json: { stopped: signal, port: agent.port }, text: `radar agent stopped (${signal})` };
    });
  },
});
