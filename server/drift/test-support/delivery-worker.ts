/**
 * A process that only delivers alerts (the outbox's job handler), for the SIGKILL test: DATABASE_URL and the radar
 * configuration as JSON in MLPQ_ALERT_CONFIG. Prints "ready" once it is taking jobs.
 */
import { createPgPool } from "../../db/pg-pool";
import type { RadarAlertConfig } from "../../../lib/drift/radar-config";
import { PgBossAlertQueue } from "../alert-queue";
import { deliver, flushWindow } from "../alert-outbox";

const url = process.env.DATABASE_URL!;
const config = JSON.parse(process.env.MLPQ_ALERT_CONFIG!) as RadarAlertConfig;
const pool = createPgPool(url);
const queue = await PgBossAlertQueue.start(pool, (m) => process.stderr.write(`${m}\n`), { expireInSeconds: 2, maintenanceIntervalSeconds: 1 });
await queue.work({
  delivery: async (id) => void (await deliver(pool, config, id)),
  flush: async (group) => void (await flushWindow(pool, config, queue, group, Date.now() / 1000)),
});
process.stdout.write("ready\n");
