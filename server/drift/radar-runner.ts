/**
 * Runs the drift radar against the database: reads block observations and node reports in order, feeds them to
 * lib's DriftRadar, and stores the events it raises and resolves, with the read cursor, in one transaction.
 *
 * One process runs the monitors per database: the holder of the "drift-radar" lease (the worker, or the standalone
 * `mathledger-cli radar` agent). A runner that loses the lease drops its in-memory state; whoever takes the lease
 * next restores the open events from the table and goes on from the stored cursor, so no event is raised twice and
 * no observation is skipped.
 *
 * The table stays the truth while the runner holds its state in memory:
 *  - operator resolutions (made in the web process or the CLI) are read back at every tick: the events the monitors
 *    hold open are checked against the table (one index probe per open event, usually a handful) and those resolved
 *    meanwhile are forgotten, so the radar neither claims to resolve them later nor stays silent while their
 *    condition holds (it raises a new event, as the operator closed the old one);
 *  - governance alerts written by other processes (server/drift/governance-alerts.ts) are taken from alert_inbox
 *    and handed to the sink in the tick's transaction, like the events the monitors raise.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { findEpoch, type Epoch } from "../../lib/consensus/epochs";
import type { Violation } from "../../lib/consensus/violations";
import type { BlockObservation } from "../../lib/drift/block-observation";
import type { DriftEvent } from "../../lib/drift/drift-event";
import { DriftRadar } from "../../lib/drift/drift-radar";
import { DEFAULT_RADAR_THRESHOLDS, type RadarThresholds } from "../../lib/drift/radar-thresholds";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { acquireLease, releaseLease } from "../devnet/devnet-producer";
import { autoResolveDriftEvents, insertDriftEvents, loadOpenDriftEvents, resolvedAmong, type StoredDriftEvent } from "./drift-event-repository";
import { takeInbox } from "./governance-alerts";
import { nodeReportsAfter } from "./node-reports";

export const RADAR_LEASE = "drift-radar";
const CURSOR = "drift-radar";
/** Rows read per tick (a bulk import catches up over several ticks). */
const BATCH = 2000;

/**
 * Called inside the tick's transaction with what it raised and resolved, and the governance alerts taken from the
 * inbox (routing enqueues deliveries here).
 */
export type RadarSink = (client: pg.PoolClient, out: { raised: DriftEvent[]; resolved: DriftEvent[]; governance: StoredDriftEvent[] }) => Promise<void>;

export interface RadarRunnerOptions {
  holder: string;
  thresholds?: RadarThresholds;
  /** Lease time to live; renewed every tick. */
  leaseMs?: number;
  /** Unix seconds (injected for tests). */
  now?: () => number;
  sink?: RadarSink;
}

export interface TickResult {
  /** False when another process holds the lease (nothing was read). */
  active: boolean;
  observations: number;
  reports: number;
  raised: DriftEvent[];
  resolved: DriftEvent[];
  /** Governance alerts handed to the sink for routing in this tick. */
  governance: StoredDriftEvent[];
  /** Open events an operator (or another process) resolved since the last tick, now forgotten by the monitors. */
  forgotten: string[];
}

interface ObservationQueryRow {
  id: number;
  block_number: number | null;
  block_hash: string | null;
  source: string;
  outcome: "stored" | "refused";
  verdict: "VALID" | "INVALID";
  pq_algorithm: number | null;
  violations: Violation[] | null;
  sealing_ms: number | null;
  validation_ms: number | null;
  block_bytes: number | null;
  header_bytes: number | null;
  legacy_block_bytes: number | null;
}

export class RadarRunner {
  private radar: DriftRadar | null = null;
  private epochs: Epoch[] = [];
  private epochsLoadedAt = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: RadarRunnerOptions,
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now() / 1000;
  }

  /** One pass: take or renew the lease, then process everything new (up to a batch of each kind). */
  async tick(): Promise<TickResult> {
    const idle: TickResult = { active: false, observations: 0, reports: 0, raised: [], resolved: [], governance: [], forgotten: [] };
    const held = await acquireLease(this.pool, RADAR_LEASE, this.options.holder, this.options.leaseMs ?? 15_000);
    if (!held) {
      this.radar = null;
      return idle;
    }
    // The registry changes only by governance; re-read it every few seconds rather than per tick.
    if (this.now() - this.epochsLoadedAt > 5) {
      this.epochs = await loadEpochRegistry(this.pool);
      this.epochsLoadedAt = this.now();
    }

    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("INSERT INTO radar_cursors (name) VALUES ($1) ON CONFLICT DO NOTHING", [CURSOR]);
      const cursor = (await client.query<{ last_observation_id: number; last_report_id: number }>(
        "SELECT last_observation_id, last_report_id FROM radar_cursors WHERE name = $1 FOR UPDATE",
        [CURSOR],
      )).rows[0];
      // Restored under the cursor's row lock, so a process that took the lease over sees everything its predecessor
      // committed before reading on.
      if (!this.radar) {
        this.radar = new DriftRadar({ now: () => this.now(), newId: () => randomUUID() }, this.options.thresholds ?? DEFAULT_RADAR_THRESHOLDS);
        this.radar.restore(await loadOpenDriftEvents(client));
      }
      const radar = this.radar;
      const forgotten = await resolvedAmong(client, radar.openEvents().map((e) => e.event_id));
      for (const id of forgotten) radar.forget(id);
      // Without a sink nobody would route them: they wait in the inbox for a runner that has one.
      const governance = this.options.sink ? await takeInbox(client) : [];
      const reports = await nodeReportsAfter(client, Number(cursor.last_report_id), BATCH);
      const { rows: observations } = await client.query<ObservationQueryRow>(
        `SELECT id, block_number, block_hash, source, outcome, verdict, pq_algorithm, violations, sealing_ms, validation_ms,
                block_bytes, header_bytes, legacy_block_bytes
         FROM block_observations WHERE id > $1 ORDER BY id LIMIT $2`,
        [Number(cursor.last_observation_id), BATCH],
      );
      const raised: DriftEvent[] = [];
      const resolved: DriftEvent[] = [];
      const take = (out: { raised: DriftEvent[]; resolved: DriftEvent[] }) => {
        raised.push(...out.raised);
        resolved.push(...out.resolved);
      };
      for (const r of reports) {
        // The window is kept on this node's clock (when the report arrived), not the reporter's.
        take(radar.observeNodeReport({ ...r, observed_at: this.now() }));
      }
      for (const row of observations) take(radar.observeBlock(this.toObservation(row)));

      // An event raised and resolved within one tick is stored once, resolved.
      const resolvedIds = new Set(resolved.map((e) => e.event_id));
      const finalRaised = raised.map((e) => (resolvedIds.has(e.event_id) ? resolved.find((x) => x.event_id === e.event_id)! : e));
      await insertDriftEvents(client, finalRaised);
      // An event an operator resolved meanwhile (after this tick's check) keeps the operator's resolution and is not
      // reported as resolved by the radar.
      const autoResolved = await autoResolveDriftEvents(client, resolved);
      const raisedIds = new Set(finalRaised.map((e) => e.event_id));
      const reportedResolved = resolved.filter((e) => autoResolved.has(e.event_id) || raisedIds.has(e.event_id));
      await this.options.sink?.(client, { raised: finalRaised, resolved: reportedResolved, governance });
      const lastObservation = observations.length ? Number(observations[observations.length - 1].id) : Number(cursor.last_observation_id);
      const lastReport = reports.length ? reports[reports.length - 1].id : Number(cursor.last_report_id);
      if (observations.length || reports.length) {
        await client.query("UPDATE radar_cursors SET last_observation_id = $2, last_report_id = $3, updated_at = now() WHERE name = $1", [CURSOR, lastObservation, lastReport]);
      }
      // The live page (server/drift/radar-live-hub.ts) refreshes when the radar has worked.
      if (observations.length || reports.length || finalRaised.length || reportedResolved.length || governance.length) {
        await client.query("SELECT pg_notify('radar', $1)", [JSON.stringify({ raised: finalRaised.length, resolved: reportedResolved.length, governance: governance.length })]);
      }
      await client.query("COMMIT");
      return { active: true, observations: observations.length, reports: reports.length, raised: finalRaised, resolved: reportedResolved, governance, forgotten };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      // The in-memory state has seen rows that were not committed: rebuild it from the table next tick.
      this.radar = null;
      throw error;
    } finally {
      client.release();
    }
  }

  /** Gives the lease up (clean shutdown) so the other process can take over at once. */
  async stop(): Promise<void> {
    this.radar = null;
    await releaseLease(this.pool, RADAR_LEASE, this.options.holder);
  }

  private toObservation(row: ObservationQueryRow): BlockObservation {
    const epoch = row.block_number === null ? null : findEpoch(this.epochs, row.block_number) ?? null;
    return {
      block_number: row.block_number,
      block_hash: row.block_hash,
      outcome: row.outcome,
      verdict: row.verdict,
      violations: row.violations ?? [],
      epoch,
      pq_algorithm: row.pq_algorithm,
      source: row.source,
      observation_id: row.id,
      timings: { sealing_ms: row.sealing_ms, validation_ms: row.validation_ms },
      sizes:
        row.block_bytes === null || row.header_bytes === null || row.legacy_block_bytes === null
          ? null
          : { block_bytes: row.block_bytes, header_bytes: row.header_bytes, legacy_block_bytes: row.legacy_block_bytes },
    };
  }
}
