/**
 * The durable job queue behind the alert outbox: pg-boss 10 (PostgreSQL, SKIP LOCKED), in its own schema `pgboss`.
 * The schema and the two queues are created by the database's preparation, as the owner (prepareAlertQueueSchema,
 * called from server/db/prepare-database.ts), and the least-privilege role gets DML on them (grantAlertQueue); the
 * processes then run pg-boss over their own pool without migrating. Jobs are enqueued in the caller's transaction
 * (pg-boss's `db` option), so a delivery row and the job that sends it commit together or not at all.
 *
 * Retries: exponential backoff from 1 s (1, 2, 4, ... s; 14 attempts span about four and a half hours), after which
 * the row stays pending with its last error in the delivery log.
 */
import PgBoss from "pg-boss";
import type pg from "pg";
import { AppError } from "../../lib/errors";

export const DELIVERY_QUEUE = "alert-delivery";
export const FLUSH_QUEUE = "alert-flush";
export const PGBOSS_SCHEMA = "pgboss";

export interface AlertQueue {
  enqueueDelivery(client: pg.PoolClient, deliveryId: number): Promise<void>;
  scheduleFlush(client: pg.PoolClient, groupKey: string, afterSeconds: number): Promise<void>;
}

const txDb = (client: pg.PoolClient | pg.Pool) => ({ executeSql: (text: string, values: unknown[]) => client.query(text, values) });

const DELIVERY_OPTIONS = { retryLimit: 14, retryDelay: 1, retryBackoff: true, expireInSeconds: 60 };
const FLUSH_OPTIONS = { retryLimit: 10, retryDelay: 1, retryBackoff: true, expireInSeconds: 60 };

/** Creates (or migrates) pg-boss's schema and the outbox's queues, as the database owner. Idempotent. */
export async function prepareAlertQueueSchema(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: ownerUrl, schema: PGBOSS_SCHEMA, max: 1, supervise: false, schedule: false, migrate: true });
  boss.on("error", () => undefined);
  await boss.start();
  try {
    await boss.createQueue(DELIVERY_QUEUE, { name: DELIVERY_QUEUE, ...DELIVERY_OPTIONS });
    await boss.createQueue(FLUSH_QUEUE, { name: FLUSH_QUEUE, ...FLUSH_OPTIONS });
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** Lets the least-privilege role use the queue: DML on pg-boss's tables, its functions, nothing else. */
export async function grantAlertQueue(client: pg.ClientBase, role: string): Promise<void> {
  const ident = client.escapeIdentifier(role);
  await client.query(`GRANT USAGE ON SCHEMA ${PGBOSS_SCHEMA} TO ${ident}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${PGBOSS_SCHEMA} TO ${ident}`);
  await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${PGBOSS_SCHEMA} TO ${ident}`);
  await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${PGBOSS_SCHEMA} TO ${ident}`);
}

export class PgBossAlertQueue implements AlertQueue {
  private constructor(readonly boss: PgBoss) {}

  /**
   * Runs pg-boss over `pool` (the process's least-privilege pool). `migrate`: create the schema here when it is
   * missing (tests and owner connections; a prepared database already has it). `expireInSeconds`: a job whose process
   * died while sending is failed, and so retried, this long after it started; pg-boss checks every
   * `maintenanceIntervalSeconds`.
   */
  static async start(
    pool: pg.Pool,
    log: (m: string) => void,
    o: { migrate?: boolean; expireInSeconds?: number; maintenanceIntervalSeconds?: number } = {},
  ): Promise<PgBossAlertQueue> {
    const { rows } = await pool.query<{ ready: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ready", [`${PGBOSS_SCHEMA}.queue`]);
    const migrate = !rows[0].ready;
    if (migrate && !o.migrate) {
      throw new AppError("CONFIG", `the alert queue's schema ${PGBOSS_SCHEMA} is missing: it is created when the database is prepared (npm start, or any CLI command) by its owner`);
    }
    const boss = new PgBoss({ db: txDb(pool), schema: PGBOSS_SCHEMA, migrate, maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 30 });
    boss.on("error", (error: Error) => log(`alert queue: ${error.message}`));
    await boss.start();
    const delivery = { ...DELIVERY_OPTIONS, expireInSeconds: o.expireInSeconds ?? DELIVERY_OPTIONS.expireInSeconds };
    for (const [name, options] of [[DELIVERY_QUEUE, delivery], [FLUSH_QUEUE, FLUSH_OPTIONS]] as const) {
      if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
      else await boss.createQueue(name, { name, ...options });
    }
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
