/**
 * The block relay across three real nodes (each its own PostgreSQL database, real HTTP between them, the real push
 * route and relay sender): a block accepted on one node reaches every other node exactly once, is never sent back
 * where it came from, survives a peer being down, and a refused or invalid block goes nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeEpoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import type { Block } from "../../lib/consensus/block";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { ingestBlocks } from "../ingest/ingest-blocks";
import { startTestNode, type TestNode } from "./test-support/relay-node";
import { loadPeerStatuses, type NodeStatus } from "./relay-status";
import { peerLines } from "../../cli/commands/node-status";
import { createMetricsRegistry } from "../drift/metrics";

const epochs = [makeEpoch(0, "v2-dual-required", 1, 0)];
let a: TestNode, b: TestNode, c: TestNode;
const chain: Block[] = [];

function nextBlock(statements = [`statement ${chain.length}`]): Block {
  const block = sealBlock({ statements, epochs, prev: chain[chain.length - 1] ?? null, timestamp: 1_790_000_000 + chain.length });
  chain.push(block);
  return block;
}

/** Seals the next block on `node` as its devnet would: a local ingest, logged for the peers. */
async function seal(node: TestNode, block = nextBlock()): Promise<Block> {
  await ingestBlocks(node.pool, [block], { source: "devnet", suite: await loadWasmHashSuite() });
  return block;
}

const count = async (node: TestNode, sql: string, params: unknown[] = []) => Number((await node.pool.query(sql, params)).rows[0].n);
const heightOf = (node: TestNode) => count(node, "SELECT coalesce(max(block_number), -1) AS n FROM blocks WHERE canonical");

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const peer = (n: TestNode) => ({ id: n.id, url: n.url, token: n.token });

beforeAll(async () => {
  [a, b, c] = await Promise.all([startTestNode("node-a", epochs), startTestNode("node-b", epochs), startTestNode("node-c", epochs)]);
  await a.connect([peer(b), peer(c)]);
  await b.connect([peer(a), peer(c)]);
  await c.connect([peer(a), peer(b)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a, b, c].filter(Boolean).map((n) => n.stop()));
});

describe("block relay", () => {
  it("sends a block sealed on A to B and C, each stores it once, and nothing comes back to A", async () => {
    for (let i = 0; i < 3; i++) await seal(a);
    await until("B and C at height 2", async () => (await heightOf(b)) === 2 && (await heightOf(c)) === 2);
    // Let any echo happen: B and C also relay to each other (answered as duplicates), never back to A.
    await new Promise((r) => setTimeout(r, 600));
    for (const node of [b, c]) {
      expect(await count(node, "SELECT count(*) AS n FROM blocks")).toBe(3);
      expect(await count(node, "SELECT count(*) AS n FROM blocks WHERE source = 'http'")).toBe(3);
    }
    expect(await count(a, "SELECT count(*) AS n FROM blocks")).toBe(3);
    expect(await count(a, "SELECT count(*) AS n FROM relay_received")).toBe(0);
    const sent = await a.pool.query("SELECT peer_id, blocks_sent::int AS blocks, bytes_sent::int AS bytes FROM relay_peers ORDER BY peer_id");
    expect(sent.rows.map((r) => [r.peer_id, r.blocks])).toEqual([["node-b", 3], ["node-c", 3]]);
    expect(sent.rows.every((r) => r.bytes > 0)).toBe(true);
    const metrics = await createMetricsRegistry(a.pool).metrics();
    expect(metrics).toContain('mathledger_relay_blocks_sent_total{peer="node-b"} 3');
    expect(metrics).toContain(`mathledger_relay_bytes_sent_total{peer="node-c"} ${sent.rows[1].bytes}`);
    // B got the blocks from A (stored) and possibly from C too (duplicates, not re-relayed); never more than once each.
    const fromA = await b.pool.query("SELECT blocks::int, duplicates::int FROM relay_received WHERE peer_id = 'node-a'");
    expect(fromA.rows[0].blocks + (await count(b, "SELECT coalesce(sum(blocks), 0)::int AS n FROM relay_received WHERE peer_id = 'node-c'"))).toBe(3);
    // Quiet afterwards: no storm.
    const before = await count(b, "SELECT coalesce(sum(blocks + duplicates), 0)::int AS n FROM relay_received");
    await new Promise((r) => setTimeout(r, 800));
    expect(await count(b, "SELECT coalesce(sum(blocks + duplicates), 0)::int AS n FROM relay_received")).toBe(before);
  });

  it("records when each node first received each block", async () => {
    const { rows } = await c.pool.query<{ block_number: number; received_at: Date }>("SELECT block_number, received_at FROM blocks ORDER BY block_number");
    expect(rows.map((r) => r.block_number)).toEqual([0, 1, 2]);
    expect(rows.every((r) => r.received_at instanceof Date)).toBe(true);
  });

  it("keeps the blocks for a peer that is down and delivers them when it is back", async () => {
    await c.close();
    for (let i = 0; i < 4; i++) await seal(a);
    await until("B at height 6", async () => (await heightOf(b)) === 6);
    expect(await heightOf(c)).toBe(2);
    await until("A to see C unreachable", async () => (await count(a, "SELECT count(*) AS n FROM relay_peers WHERE peer_id = 'node-c' AND unreachable_since IS NOT NULL")) === 1);
    const down = (await (await fetch(`${a.url}/api/v1/status`)).json()) as NodeStatus;
    expect(down.node_id).toBe("node-a");
    expect(down.peers.find((p) => p.id === "node-c")).toMatchObject({ url: c.url, sync: "unreachable", sync_summary: expect.stringMatching(/^unreachable since 20\d\d-/) });
    expect(peerLines(down.peers).join("\n")).toMatch(/node-c +http:\/\/127\.0\.0\.1:\d+ .*unreachable since/);
    await c.listen();
    await until("C at height 6", async () => (await heightOf(c)) === 6, 20_000);
    expect(await count(c, "SELECT count(*) AS n FROM blocks")).toBe(7);
    await until("A to see C reachable", async () => (await count(a, "SELECT count(*) AS n FROM relay_peers WHERE peer_id = 'node-c' AND unreachable_since IS NULL")) === 1);
    await until("A to see B and C in sync", async () => (await loadPeerStatuses(a.pool)).every((p) => p.sync === "in_sync"));
    const up = await loadPeerStatuses(a.pool);
    expect(up.map((p) => [p.id, p.tip_block, p.sync_summary])).toEqual([["node-b", 6, "in sync (same tip)"], ["node-c", 6, "in sync (same tip)"]]);
  }, 30_000);

  it("loses nothing when the sender stops: blocks accepted meanwhile go out once it runs again", async () => {
    await a.sender!.stop();
    await seal(a);
    await seal(a);
    const top = chain.length - 1;
    await new Promise((r) => setTimeout(r, 400));
    expect(await heightOf(b)).toBe(top - 2);
    await a.connect([peer(b), peer(c)]); // a new sender, as after a worker restart: it starts from the stored cursors
    await until("B and C at the tip", async () => (await heightOf(b)) === top && (await heightOf(c)) === top);
    expect(await count(b, "SELECT count(*) AS n FROM blocks WHERE verdict = 'VALID'")).toBe(top + 1);
  });

  it("relays neither a block refused at admission nor an invalid block kept as evidence", async () => {
    const lastLogged = "SELECT last_value AS n FROM relay_items_seq_seq"; // items are pruned once delivered
    const logged = await count(a, lastLogged);
    const refused = await fetch(`${a.url}/api/v1/blocks`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" },
      body: JSON.stringify({ block_number: chain.length, statements: "not a list" }),
    });
    expect(refused.status).toBe(400);
    const good = sealBlock({ statements: ["tampered later"], epochs, prev: chain[chain.length - 1], timestamp: 1_790_000_100 });
    const tampered = { ...good, merkle_root: "0x" + "00".repeat(32) };
    const stored = await fetch(`${a.url}/api/v1/blocks`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" },
      body: JSON.stringify(tampered),
    });
    expect(stored.status).toBe(201);
    expect((await stored.json()).invalid).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await count(a, lastLogged)).toBe(logged);
    for (const node of [b, c]) expect(await count(node, "SELECT count(*) AS n FROM blocks WHERE block_number = $1", [chain.length])).toBe(0);
  });

  it("brings a peer that joins late up to date from its own tip", async () => {
    const d = await startTestNode("node-d", epochs);
    try {
      await a.connect([peer(b), peer(c), peer(d)]);
      await seal(a);
      const top = chain.length - 1;
      await until("D at the tip", async () => (await heightOf(d)) === top, 20_000);
      expect(await count(d, "SELECT count(*) AS n FROM blocks WHERE verdict = 'VALID'")).toBe(top + 1);
    } finally {
      await a.connect([peer(b), peer(c)]);
      await d.stop();
    }
  }, 30_000);
});
