/**
 * What the worker runs for the radar, alone in a process, for the SIGKILL test of governance alerts: the RadarRunner
 * (lease, inbox) with startAlerting's sink and deliveries. DATABASE_URL and the radar configuration as JSON in
 * MLPQ_ALERT_CONFIG. Prints "ready" once it is working and "routed <event id>" for each governance alert it routes.
 */
import { createPgPool } from "../../db/pg-pool";
import type { RadarAlertConfig } from "../../../lib/drift/radar-config";
import { startAlerting } from "../alerting";
import { RadarRunner } from "../radar-runner";

const pool = createPgPool(process.env.DATABASE_URL!);
const config = JSON.parse(process.env.MLPQ_ALERT_CONFIG!) as RadarAlertConfig;
const log = (m: string) => process.stderr.write(`[radar-worker ${process.pid}] ${m}\n`);
// Short expiry: the jobs a killed process had started are failed, and so retried, two seconds later.
const alerting = await startAlerting(pool, config, log, { expireInSeconds: 2, maintenanceIntervalSeconds: 1 });
const runner = new RadarRunner(pool, { holder: `radar-worker-${process.pid}`, sink: alerting.sink, leaseMs: 2000 });
let running = false;
setInterval(() => {
  if (running) return;
  running = true;
  runner
    .tick()
    .then((out) => {
      for (const e of out.governance) process.stdout.write(`routed ${e.event_id}\n`);
    })
    .catch((error: Error) => log(error.message))
    .finally(() => (running = false));
}, 200);
process.stdout.write("ready\n");
