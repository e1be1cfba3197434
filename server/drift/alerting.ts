/**
 * Alerting in a process that runs the radar (the worker, or `mathledger-cli radar`): starts the pg-boss queue over
 * the process's pool (its schema was created when the database was prepared), handles deliveries and throttle flushes, and gives the radar the sink that
 * routes what it raises inside its own transaction.
 */
import type pg from "pg";
import type { RadarAlertConfig } from "../../lib/drift/radar-config";
import { deliver, enqueueAlerts, flushWindow } from "./alert-outbox";
import { PgBossAlertQueue } from "./alert-queue";
import type { RadarSink } from "./radar-runner";

export interface Alerting {
  sink: RadarSink;
  stop(): Promise<void>;
}

export async function startAlerting(pool: pg.Pool, config: RadarAlertConfig, log: (m: string) => void): Promise<Alerting> {
  const queue = await PgBossAlertQueue.start(pool, log);
  const now = () => Date.now() / 1000;
  await queue.work({
    delivery: async (id) => {
      await deliver(pool, config, id);
    },
    flush: async (group) => {
      await flushWindow(pool, config, queue, group, now());
    },
  });
  if (!config.sending) log("alerting: no MATHLEDGER_RADAR_CONFIG, drift events are stored and shown but not sent");
  return {
    sink: (client, out) => enqueueAlerts(client, out.raised, config, queue, now()),
    stop: () => queue.stop(),
  };
}
