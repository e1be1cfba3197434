/**
 * The durable job queue behind the alert outbox: pg-boss 10 (PostgreSQL, SKIP LOCKED), in its own schema
 * `pgboss`, created by pg-boss's own migrations when the queue starts (run by the worker or the radar agent with the
 * database owner's connection). Jobs are enqueued in the caller's transaction (pg-boss's `db` option), so a delivery
 * row and the job that sends it commit together or not at all.
 *
 * Retries: exponential backoff from 1 s (1, 2, 4, ... s; 14 attempts span about four and a half hours), after which
 * the row stays pending with its last error in the delivery log.
 */
import PgBoss from "pg-boss";
import type pg from "pg";

export const DELIVERY_QUEUE = "alert-delivery";
export const FLUSH_QUEUE = "alert-flush";
export const PGBOSS_SCHEMA = "pgboss";

export interface AlertQueue {
  enqueueDelivery(client: pg.PoolClient, deliveryId: number): Promise<void>;
  scheduleFlush(client: pg.PoolClient, groupKey: string, afterSeconds: number): Promise<void>;
}

const txDb = (client: pg.PoolClient) => ({ executeSql: (text: string, values: unknown[]) => client.query(text, values) });

export class PgBossAlertQueue implements AlertQueue {
  private constructor(readonly boss: PgBoss) {}

  /**
   * `expireInSeconds`: a job whose process died while sending is failed (and so retried) this long after it started;
   * pg-boss checks every `maintenanceIntervalSeconds`.
   */
  static async start(connectionString: string, log: (m: string) => void, o: { expireInSeconds?: number; maintenanceIntervalSeconds?: number } = {}): Promise<PgBossAlertQueue> {
    const expireInSeconds = o.expireInSeconds ?? 60;
    const boss = new PgBoss({
      connectionString,
      schema: PGBOSS_SCHEMA,
      max: 3,
      application_name: "mathledger-radar-outbox",
      maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 30,
    });
    boss.on("error", (error: Error) => log(`alert queue: ${error.message}`));
    await boss.start();
    await boss.createQueue(DELIVERY_QUEUE, { name: DELIVERY_QUEUE, retryLimit: 14, retryDelay: 1, retryBackoff: true, expireInSeconds });
    await boss.createQueue(FLUSH_QUEUE, { name: FLUSH_QUEUE, retryLimit: 10, retryDelay: 1, retryBackoff: true, expireInSeconds: 60 });
    return new PgBossAlertQueue(boss);
  }

  async enqueueDelivery(client: pg.PoolClient, deliveryId: number): Promise<void> {
    await this.boss.send(DELIVERY_QUEUE, { delivery_id: deliveryId }, { db: txDb(client) });
  }

  async scheduleFlush(client: pg.PoolClient, groupKey: string, afterSeconds: number): Promise<void> {
    await this.boss.send(FLUSH_QUEUE, { group_key: groupKey }, { db: txDb(client), startAfter: Math.max(1, Math.ceil(afterSeconds)) });
  }

  /**
   * Starts handling both queues in this process. Deliveries are fetched ten at a time and sent concurrently; each
   * failure fails only its own job (which pg-boss retries with backoff).
   */
  async work(handlers: { delivery: (id: number) => Promise<void>; flush: (groupKey: string) => Promise<void> }): Promise<void> {
    await this.boss.work<{ delivery_id: number }>(DELIVERY_QUEUE, { pollingIntervalSeconds: 0.5, batchSize: 10 }, async (jobs) => {
      await Promise.all(
        jobs.map((job) =>
          handlers.delivery(job.data.delivery_id).catch((error: Error) => this.boss.fail(DELIVERY_QUEUE, job.id, { message: error.message })),
        ),
      );
    });
    await this.boss.work<{ group_key: string }>(FLUSH_QUEUE, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
      await handlers.flush(job.data.group_key);
    });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 5000, wait: true });
  }
}
