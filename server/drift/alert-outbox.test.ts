/**
 * Alert routing end to end against a real PostgreSQL, pg-boss, a real SMTP server and HTTP receivers on loopback:
 * each category reaches the plan's channels, bursts fold into one delivery per window, CRITICAL is never throttled,
 * inhibited and silenced events are logged but not sent, and a channel that is down loses nothing and doubles
 * nothing once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import type { DriftCategory, DriftEvent, Severity } from "../../lib/drift/drift-event";
import { parseRadarAlertConfig, type RadarAlertConfig } from "../../lib/drift/radar-config";
import { PgBossAlertQueue } from "./alert-queue";
import { deliver, enqueueAlerts, flushWindow } from "./alert-outbox";
import { broadcastSignature } from "./alert-channels";
import { insertDriftEvents } from "./drift-event-repository";
import { createSilence } from "./alert-silences";
import { HttpReceiver, SmtpReceiver, waitFor } from "./test-support/receivers";

const SECRET_A = "secret-of-node-a-0123456789";
const SECRET_B = "secret-of-node-b-9876543210";

let db: TestDatabase;
let pool: pg.Pool;
let queue: PgBossAlertQueue;
let config: RadarAlertConfig;
const smtp = new SmtpReceiver();
const slack = new HttpReceiver();
const sms = new HttpReceiver();
const peerA = new HttpReceiver();
const peerB = new HttpReceiver();
let clock = 1_790_000_000;
const now = () => clock;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url, 8);
  await Promise.all([smtp.start(), slack.start(), sms.start(), peerA.start(), peerB.start()]);
  config = parseRadarAlertConfig(
    {
      channels: {
        email: { smtp_url: `smtp://127.0.0.1:${smtp.port}`, from: "radar@example.org", to: ["ops@example.org"] },
        slack: { webhook_url: slack.url("/hook"), channel: "#pq-migration-alerts" },
        sms: { webhook_url: sms.url("/send"), to: ["+15550100"] },
        network_broadcast: { endpoints: [{ url: peerA.url("/api/v1/radar/broadcast"), secret: "${PEER_A_SECRET}" }, { url: peerB.url("/api/v1/radar/broadcast"), secret: SECRET_B }] },
      },
      routing: { HIGH: { channels: ["email", "slack"], throttle_seconds: 300 }, MEDIUM: { recipients: { email: ["storage@example.org"] } } },
    },
    { PEER_A_SECRET: SECRET_A },
  );
  queue = await PgBossAlertQueue.start(pool, () => undefined, { migrate: true });
  await queue.work({
    delivery: async (id) => void (await deliver(pool, config, id)),
    flush: async (group) => void (await flushWindow(pool, config, queue, group, now())),
  });
}, 120_000);
afterAll(async () => {
  await queue?.stop();
  await Promise.all([smtp.stop(), slack.stop(), sms.stop(), peerA.stop(), peerB.stop()]);
  await pool?.end();
  await db?.drop();
});

function event(category: DriftCategory, severity: Severity, block = 10, extra: Partial<DriftEvent> = {}): DriftEvent {
  return {
    event_id: randomUUID(),
    timestamp: clock,
    drift_category: category,
    severity,
    block_number: block,
    block_hash: "0x" + "ab".repeat(32),
    message: `${category} drift`,
    details: {},
    resolved: false,
    resolution_timestamp: null,
    ...extra,
  };
}

/** What the radar's tick does: store the events and route them, in one transaction. */
async function raise(events: DriftEvent[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await insertDriftEvents(client, events);
    await enqueueAlerts(client, events, config, queue, now());
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

const keysAt = (r: HttpReceiver) => r.requests.map((q) => q.headers["idempotency-key"]);
const mailsFor = (id: string) => smtp.mails.filter((m) => m.messageId === `<${id}:email@mathledger-radar>`);
const statusOf = async (id: string) => (await pool.query("SELECT channel, target, status, folded_count FROM alert_deliveries WHERE event_id = $1 ORDER BY channel, target", [id])).rows;

describe("alert routing", () => {
  it("routes each category to the plan's channels with idempotency keys and signed broadcasts", async () => {
    const critical = (["algorithm_mismatch", "consistency", "lineage", "commitment"] as const).map((c, i) => event(c, "CRITICAL", 100 + i));
    const high = [event("performance", "HIGH"), event("network", "HIGH")];
    const medium = [event("storage", "MEDIUM"), event("network", "MEDIUM")];
    const low = [event("lineage", "LOW", 500)];
    await raise([...critical, ...high, ...medium, ...low]);
    await waitFor(async () => Number((await pool.query("SELECT count(*) FROM alert_deliveries WHERE status <> 'sent'")).rows[0].count) === 0, 60_000, "every delivery sent");

    for (const e of critical) {
      expect(mailsFor(e.event_id)).toHaveLength(1);
      expect(keysAt(slack)).toContain(`${e.event_id}:slack`);
      expect(keysAt(sms)).toContain(`${e.event_id}:sms`);
      for (const [peer, secret] of [[peerA, SECRET_A], [peerB, SECRET_B]] as const) {
        const got = peer.requests.filter((q) => q.headers["idempotency-key"] === `${e.event_id}:network_broadcast`);
        expect(got).toHaveLength(1);
        expect(got[0].headers["x-mathledger-signature"]).toBe(broadcastSignature(secret, got[0].body));
        expect(JSON.parse(got[0].body).event.drift_category).toBe(e.drift_category);
      }
    }
    for (const e of high) {
      expect(mailsFor(e.event_id)).toHaveLength(1);
      expect(keysAt(slack)).toContain(`${e.event_id}:slack`);
      expect(keysAt(sms)).not.toContain(`${e.event_id}:sms`);
    }
    for (const e of medium) {
      const [mail] = mailsFor(e.event_id);
      expect(mail.to).toEqual(["storage@example.org"]); // routing's recipients override the channel's
      expect(keysAt(slack)).not.toContain(`${e.event_id}:slack`);
    }
    expect(await statusOf(low[0].event_id)).toEqual([]); // LOW: dashboard only
    const smsBody = JSON.parse(sms.requests[0].body);
    expect(smsBody.to).toEqual(["+15550100"]);
    expect(JSON.parse(slack.requests[0].body).channel).toBe("#pq-migration-alerts");
  }, 120_000);

  it("a burst of 100 HIGH events of one group is one delivery per channel, the rest folded into the window's next one; CRITICAL is never throttled", async () => {
    clock += 301; // past the windows the first test opened
    const burst = Array.from({ length: 100 }, (_, i) => event("performance", "HIGH", 1000 + i));
    await raise(burst.slice(0, 1));
    await raise(burst.slice(1));
    const criticals = Array.from({ length: 10 }, (_, i) => event("consistency", "CRITICAL", 2000 + i));
    await raise(criticals);
    await waitFor(async () => Number((await pool.query("SELECT count(*) FROM alert_deliveries WHERE status = 'pending'")).rows[0].count) === 0, 60_000, "pending sent");
    const ids = new Set(burst.map((e) => e.event_id));
    const burstMails = () => smtp.mails.filter((m) => [...ids].some((id) => m.messageId?.includes(id)));
    const burstSlack = () => slack.requests.filter((q) => ids.has(String(q.headers["idempotency-key"]).split(":")[0]));
    expect(burstMails()).toHaveLength(1);
    expect(burstSlack()).toHaveLength(1);
    expect(criticals.every((e) => mailsFor(e.event_id).length === 1)).toBe(true);

    // The window ends: one more delivery per channel carries the other 99 as "the latest and 98 more".
    clock += 301;
    expect(await flushWindow(pool, config, queue, "HIGH/performance/email", now())).toBe(1);
    expect(await flushWindow(pool, config, queue, "HIGH/performance/slack", now())).toBe(1);
    await waitFor(() => burstMails().length === 2 && burstSlack().length === 2, 60_000, "the folded deliveries");
    expect(burstMails()[1].subject).toMatch(/\(and 98 more\)/);
    expect(JSON.parse(burstSlack()[1].body).text).toMatch(/\(and 98 more\)/);
    const { rows } = await pool.query("SELECT status, count(*)::int AS n FROM alert_deliveries WHERE event_id = ANY($1) AND channel = 'email' GROUP BY status ORDER BY status", [[...ids]]);
    expect(rows).toEqual([{ status: "folded", n: 98 }, { status: "sent", n: 2 }]);
    // Nothing was folded since: the next flush closes the window, sending nothing.
    clock += 301;
    expect(await flushWindow(pool, config, queue, "HIGH/performance/email", now())).toBe(0);
  }, 120_000);

  it("a lineage event inhibits the consistency and commitment events at its height; silences mute what they match", async () => {
    const lineage = event("lineage", "CRITICAL", 3000);
    const consistency = event("consistency", "CRITICAL", 3000);
    const elsewhere = event("commitment", "CRITICAL", 3001);
    await createSilence(pool, { matchers: [{ name: "drift_category", value: "storage" }, { name: "severity", value: "MEDIUM|LOW", regex: true }], duration_seconds: 600, comment: "disk migration" }, "ops", now());
    const silenced = event("storage", "MEDIUM", 3002);
    const notSilenced = event("storage", "CRITICAL", 3003);
    await raise([consistency, lineage, elsewhere, silenced, notSilenced]);
    expect(new Set((await statusOf(consistency.event_id)).map((r) => r.status))).toEqual(new Set(["inhibited"]));
    expect(new Set((await statusOf(silenced.event_id)).map((r) => r.status))).toEqual(new Set(["silenced"]));
    await waitFor(async () => (await statusOf(elsewhere.event_id)).every((r) => r.status === "sent") && (await statusOf(notSilenced.event_id)).every((r) => r.status === "sent"), 60_000, "the others sent");
    expect(mailsFor(consistency.event_id)).toEqual([]);
    expect(mailsFor(silenced.event_id)).toEqual([]);
    expect(mailsFor(lineage.event_id)).toHaveLength(1);
  }, 120_000);

  it("with the SMTP server and a webhook down, nothing is lost and nothing doubled once they are back", async () => {
    const port = smtp.port;
    await smtp.stop();
    slack.down = true;
    const events = Array.from({ length: 5 }, (_, i) => event("lineage", "CRITICAL", 4000 + i));
    await raise(events);
    await waitFor(async () => Number((await pool.query("SELECT count(*) FROM alert_deliveries WHERE event_id = ANY($1) AND channel IN ('email','slack') AND attempts >= 1", [events.map((e) => e.event_id)])).rows[0].count) === 10, 60_000, "failed attempts");
    expect(events.every((e) => mailsFor(e.event_id).length === 0)).toBe(true);
    await smtp.start(port);
    slack.down = false;
    await waitFor(async () => Number((await pool.query("SELECT count(*) FROM alert_deliveries WHERE event_id = ANY($1) AND status = 'sent'", [events.map((e) => e.event_id)])).rows[0].count) === events.length * 5, 90_000, "all delivered after the outage");
    for (const e of events) {
      expect(mailsFor(e.event_id)).toHaveLength(1);
      expect(keysAt(slack).filter((k) => k === `${e.event_id}:slack`)).toHaveLength(1);
    }
    const { rows } = await pool.query("SELECT last_error FROM alert_deliveries WHERE event_id = $1 AND channel = 'email'", [events[0].event_id]);
    expect(rows[0].last_error).toBeNull();
  }, 150_000);
});
