/**
 * The radar against a real PostgreSQL: blocks from the devnet producer and from pushes (stored INVALID or refused
 * at admission) all reach the monitors through block_observations; events are stored once, resolve by themselves,
 * and only the lease holder runs the monitors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { sealBlock } from "../../lib/consensus/seal-block";
import { generateStatements } from "../../lib/devnet/statement-generator";
import { BLOCK_INJECTIONS, badNodeReports } from "../../lib/drift/drift-injection";
import { devnetPeerIds } from "../../lib/devnet/peer-simulator";
import { isAppError } from "../../lib/errors";
import { ensureEpochRegistry, loadEpochRegistry } from "../chain/epoch-registry";
import { produceDevnetBlock } from "../devnet/devnet-producer";
import { ingestBlocks, loadCanonicalTip } from "../ingest/ingest-blocks";
import { RadarRunner, RADAR_LEASE } from "./radar-runner";
import { listDriftEvents, acknowledgeDriftEvent, resolveDriftEvent } from "./drift-event-repository";
import { insertNodeReports } from "./node-reports";
import { OBSERVATION_LOCK_KEY } from "./block-observations";
import { checkImportFile } from "../ingest/import-file";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const T0 = 1_790_000_000;
let db: TestDatabase;
let pool: pg.Pool;
let suite: HashSuite;
let clock = T0;
const now = () => clock;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  suite = await loadWasmHashSuite();
  await ensureEpochRegistry(pool, { genesisTimestamp: T0, dualActivationBlock: 5 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  await pool.query("DELETE FROM leases WHERE name = $1", [RADAR_LEASE]);
});

async function produce(count: number) {
  for (let i = 0; i < count; i++) {
    clock += 2;
    await produceDevnetBlock(pool, { suite, holder: "w", intervalMs: 2000, seed: 1, now: () => clock * 1000 });
  }
}

/** Pushes `raw` as the next block the way POST /api/v1/blocks does; returns whether it was refused. */
async function push(raw: unknown): Promise<"stored" | "refused"> {
  try {
    await ingestBlocks(pool, [raw], { source: "http", suite, now: clock });
    return "stored";
  } catch (error) {
    if (isAppError(error, "INVALID_INPUT")) return "refused";
    throw error;
  }
}

async function nextBlock() {
  const epochs = await loadEpochRegistry(pool);
  const prev = (await loadCanonicalTip(pool))!.block;
  return sealBlock({ statements: generateStatements({ seed: 9, blockNumber: prev.block_number + 1 }), epochs, prev, timestamp: clock, suite });
}

describe("RadarRunner", () => {
  let runner: RadarRunner;
  beforeAll(() => {
    runner = new RadarRunner(pool, { holder: "radar-a", now });
  });

  it("the ingest lock and the observation lock are the same key (rows commit in id order)", () => {
    expect(OBSERVATION_LOCK_KEY).toBe(0x4d4c5051);
  });

  it("sees every devnet block and its peers' reports, and raises nothing on a clean devnet", async () => {
    await produce(40);
    const out = await runner.tick();
    expect(out).toMatchObject({ active: true, observations: 40, reports: 200, raised: [] });
    const { rows } = await pool.query("SELECT count(*)::int AS n, count(sealing_ms)::int AS sealed, count(validation_ms)::int AS timed, count(block_bytes)::int AS sized FROM block_observations");
    expect(rows[0]).toEqual({ n: 40, sealed: 40, timed: 40, sized: 40 });
    expect((await runner.tick()).observations).toBe(0);
  });

  for (const [category, inject] of Object.entries(BLOCK_INJECTIONS)) {
    for (const lowercase of category === "algorithm_mismatch" ? [false] : [false, true]) {
      it(`${category} pushed ${lowercase ? "in lowercase (stored INVALID)" : "as the plan writes it (refused)"} raises one CRITICAL ${category} event`, async () => {
        const raw = inject(await nextBlock(), { lowercase });
        const outcome = await push(raw);
        expect(outcome).toBe(lowercase && category !== "algorithm_mismatch" ? "stored" : "refused");
        const out = await runner.tick();
        const mine = out.raised.filter((e) => e.drift_category === category);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ severity: "CRITICAL", details: expect.objectContaining({ outcome }) });
        const stored = await listDriftEvents(pool, { category: category as never, open: true });
        expect(stored.map((e) => e.event_id)).toContain(mine[0].event_id);
      });
    }
  }

  it("the same faulty block pushed again is the same event, not a second one", async () => {
    clock += 1; // a different block from the earlier algorithm_mismatch test's
    const raw = BLOCK_INJECTIONS.algorithm_mismatch(await nextBlock());
    expect(await push(raw)).toBe("refused");
    expect((await runner.tick()).raised).toHaveLength(1);
    expect(await push(raw)).toBe("refused");
    const again = await runner.tick();
    expect(again.observations).toBe(1);
    expect(again.raised).toEqual([]);
  });

  it("a refused line of an NDJSON import is evidence too (source import)", async () => {
    clock += 1;
    const dir = await mkdtemp(path.join(os.tmpdir(), "mlpq-radar-"));
    const file = path.join(dir, "bad.ndjson");
    await writeFile(file, JSON.stringify(BLOCK_INJECTIONS.commitment(await nextBlock())) + "\n");
    await expect(checkImportFile(pool, file)).rejects.toThrow(/dual_commitment must be/);
    const out = await runner.tick();
    expect(out.raised.map((e) => [e.drift_category, e.details.source, e.details.outcome])).toEqual([["commitment", "import", "refused"]]);
  });

  it("resolves the consensus events by itself after the configured clean blocks", async () => {
    await produce(12);
    const out = await runner.tick();
    expect(out.raised).toEqual([]);
    expect(new Set(out.resolved.map((e) => e.drift_category))).toEqual(new Set(["algorithm_mismatch", "consistency", "lineage", "commitment"]));
    expect(await listDriftEvents(pool, { open: true })).toEqual([]);
    const { rows } = await pool.query("SELECT DISTINCT resolved_by FROM drift_events");
    expect(rows).toEqual([{ resolved_by: "auto" }]);
  });

  it("bad node reports raise network events", async () => {
    await insertNodeReports(pool, badNodeReports(devnetPeerIds(), clock, null));
    const out = await runner.tick();
    expect(out.raised.map((e) => [e.drift_category, e.severity]).sort()).toEqual([["network", "HIGH"], ["network", "HIGH"], ["network", "MEDIUM"]]);
  });

  it("only the lease holder runs the monitors; the other takes over after release, restoring open events", async () => {
    const other = new RadarRunner(pool, { holder: "radar-b", now });
    await runner.tick();
    await insertNodeReports(pool, badNodeReports(devnetPeerIds(), clock, null));
    expect((await other.tick()).active).toBe(false);
    await runner.stop();
    const out = await other.tick();
    expect(out.active).toBe(true);
    expect(out.raised).toEqual([]); // the network events are already open: restored, not raised again
    expect(out.reports).toBe(5);
    await other.stop();
  });

  it("operators acknowledge and resolve with a note; a resolved event cannot be resolved twice", async () => {
    const [open] = await listDriftEvents(pool, { open: true });
    const acked = await acknowledgeDriftEvent(pool, open.event_id, "node-token");
    expect(acked.acknowledged_by).toBe("node-token");
    expect(acked.resolved).toBe(false);
    await expect(resolveDriftEvent(pool, open.event_id, "node-token", "  ", clock)).rejects.toThrow(/needs a note/);
    const done = await resolveDriftEvent(pool, open.event_id, "node-token", "peers were restarted", clock);
    expect(done).toMatchObject({ resolved: true, resolved_by: "node-token", resolution_note: "peers were restarted", resolution_timestamp: clock });
    await expect(resolveDriftEvent(pool, open.event_id, "x", "again", clock)).rejects.toThrow(/already resolved/);
  });

  it("reads operator resolutions back at every tick: forgets the event, raises its still-holding condition anew, never auto-resolves it", async () => {
    const radar = new RadarRunner(pool, { holder: "radar-c", now });
    await insertNodeReports(pool, badNodeReports(devnetPeerIds(), clock, null));
    await radar.tick(); // restores the open events; the network conditions hold
    const open = await listDriftEvents(pool, { category: "network", open: true });
    expect(open.length).toBeGreaterThan(0);
    // An operator resolves them in another process (the web's POST /api/v1/radar/actions) while the radar runs.
    for (const e of open) await resolveDriftEvent(pool, e.event_id, "node-token", "peers restarted", clock);

    await insertNodeReports(pool, badNodeReports(devnetPeerIds(), clock, null));
    const out = await radar.tick();
    expect(new Set(out.forgotten)).toEqual(new Set(open.map((e) => e.event_id)));
    // The conditions still hold: each is raised again as a new event (the operator closed the old one).
    const conditions = (events: { details: Record<string, unknown> }[]) => events.map((e) => String(e.details.radar_condition)).sort();
    expect(conditions(out.raised)).toEqual(conditions(open));
    expect(out.raised.some((e) => open.some((o) => o.event_id === e.event_id))).toBe(false);
    const { rows } = await pool.query("SELECT DISTINCT resolved_by FROM drift_events WHERE event_id = ANY($1::text[])", [open.map((e) => e.event_id)]);
    expect(rows).toEqual([{ resolved_by: "node-token" }]);

    // The new ones are resolved by the operator too; when the network clears, the radar claims none of them.
    for (const e of out.raised) await resolveDriftEvent(pool, e.event_id, "node-token", "known: peers being replaced", clock);
    await produce(70); // past the 120 s report window, with the peers' good reports
    const later = await radar.tick();
    expect(new Set(later.forgotten)).toEqual(new Set(out.raised.map((e) => e.event_id)));
    expect(later.resolved.filter((e) => out.raised.some((r) => r.event_id === e.event_id))).toEqual([]);
    const after = await pool.query("SELECT DISTINCT resolved_by FROM drift_events WHERE event_id = ANY($1::text[])", [out.raised.map((e) => e.event_id)]);
    expect(after.rows).toEqual([{ resolved_by: "node-token" }]);
    await radar.stop();
  });
});

