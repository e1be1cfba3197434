/**
 * Alerting in a process that runs the radar (the worker, or `mathledger-cli radar`): starts the pg-boss queue over
 * the process's pool (its schema was created when the database was prepared), handles deliveries and throttle
 * flushes, and gives the radar the sink that routes, inside the radar's own transaction, what it raised and the
 * governance alerts it took from the inbox.
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

/** `queueOptions`: pg-boss timings (tests shorten the expiry of jobs whose process was killed). */
export async function startAlerting(
  pool: pg.Pool,
  config: RadarAlertConfig,
  log: (m: string) => void,
  queueOptions: Parameters<typeof PgBossAlertQueue.start>[2] = {},
): Promise<Alerting> {
  const queue = await PgBossAlertQueue.start(pool, log, queueOptions);
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
    sink: (client, out) => enqueueAlerts(client, [...out.raised, ...out.governance], config, queue, now()),
    stop: () => queue.stop(),
  };
}
