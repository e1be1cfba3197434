/**
 * Governance emergencies and rollbacks reach people as CRITICAL through the radar's routing (issue 8 §3), on a real
 * PostgreSQL with the worker's own wiring (RadarRunner + startAlerting, pg-boss) and real receivers on loopback (an
 * SMTP server, slack, sms and a network_broadcast peer):
 *  - a PENDING declaration (4 of 7) sends nothing and stores nothing to send;
 *  - the 5th signature stores one CRITICAL alert in the decision's transaction, and it reaches every CRITICAL channel
 *    once, with the emergency hash and the signers, even under an operator's silence of CRITICAL events;
 *  - the rollback sends another;
 *  - a decision whose transaction fails leaves no alert behind;
 *  - the dashboard lists them (source "governance", drift_category null) and the health says why it is CRITICAL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRadarAlertConfig, type RadarAlertConfig } from "../../lib/drift/radar-config";
import { prepareAlertQueueSchema } from "./alert-queue";
import { broadcastSignature } from "./alert-channels";
import { startAlerting, type Alerting } from "./alerting";
import { createSilence } from "./alert-silences";
import { getDashboardData } from "./dashboard-data";
import { RadarRunner } from "./radar-runner";
import { getRadarSnapshot } from "./radar-snapshot";
import { HttpReceiver, SmtpReceiver, waitFor } from "./test-support/receivers";
import { beat } from "../chain/heartbeat";
import { submitEnvelope } from "../governance/submit-envelope";
import { createGovernanceFixture, T0, type GovernanceFixture } from "../governance/test-fixture";

const SECRET = "peer-secret-0123456789abcdef";
let f: GovernanceFixture;
let alerting: Alerting;
let runner: RadarRunner;
let config: RadarAlertConfig;
const smtp = new SmtpReceiver();
const slack = new HttpReceiver();
const sms = new HttpReceiver();
const peer = new HttpReceiver();

beforeAll(async () => {
  f = await createGovernanceFixture({ poolMax: 8 });
  await Promise.all([smtp.start(), slack.start(), sms.start(), peer.start()]);
  config = parseRadarAlertConfig(
    {
      channels: {
        email: { smtp_url: `smtp://127.0.0.1:${smtp.port}`, from: "radar@example.org", to: ["ops@example.org"] },
        slack: { webhook_url: slack.url("/hook"), channel: "#pq-migration-alerts" },
        sms: { webhook_url: sms.url("/send"), to: ["+15550100"] },
        network_broadcast: { endpoints: [{ url: peer.url("/api/v1/radar/broadcast"), secret: SECRET }] },
      },
    },
    {},
  );
  await prepareAlertQueueSchema(f.db.url);
  alerting = await startAlerting(f.pool, config, () => undefined);
  runner = new RadarRunner(f.pool, { holder: "worker-under-test", sink: alerting.sink });
  await beat(f.pool, "worker-under-test", "worker");
}, 120_000);
afterAll(async () => {
  await runner?.stop();
  await alerting?.stop();
  await Promise.all([smtp.stop(), slack.stop(), sms.stop(), peer.stop()]);
  await f?.close();
});

const submit = (signer: string, draft: Parameters<GovernanceFixture["sign"]>[1]) => submitEnvelope(f.pool, f.sign(signer, draft), { now: T0 });
const count = async (sql: string, args: unknown[] = []) => Number((await f.pool.query(sql, args)).rows[0].n);
const governanceEvents = () => f.pool.query("SELECT event_id, kind, severity, drift_category, message, details, source FROM drift_events WHERE source = 'governance' ORDER BY seq").then((r) => r.rows);
const received = () => smtp.mails.length + slack.requests.length + sms.requests.length + peer.requests.length;

/** A header as read (RFC 2047: nodemailer sends a long subject as Q-encoded words; the space between them is not text). */
const decodeHeader = (value: string) =>
  value.replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_, q: string) =>
    Buffer.from(q.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
  );

/** Every CRITICAL channel got `eventId` exactly once, each copy naming `mustName`. */
async function expectDeliveredEverywhere(eventId: string, mustName: string[]) {
  await waitFor(async () => (await count("SELECT count(*)::int AS n FROM alert_deliveries WHERE event_id = $1 AND status = 'sent'", [eventId])) === 4, 60_000, "4 deliveries sent");
  const mails = smtp.mails.filter((m) => m.messageId === `<${eventId}:email@mathledger-radar>`);
  expect(mails).toHaveLength(1);
  const subject = decodeHeader(mails[0].subject ?? "");
  expect(subject).toMatch(/^\[MathLedger CRITICAL\] governance /);
  const slackCopies = slack.requests.filter((q) => q.headers["idempotency-key"] === `${eventId}:slack`);
  const smsCopies = sms.requests.filter((q) => q.headers["idempotency-key"] === `${eventId}:sms`);
  const peerCopies = peer.requests.filter((q) => q.headers["idempotency-key"] === `${eventId}:network_broadcast`);
  expect([slackCopies.length, smsCopies.length, peerCopies.length]).toEqual([1, 1, 1]);
  expect(peerCopies[0].headers["x-mathledger-signature"]).toBe(broadcastSignature(SECRET, peerCopies[0].body));
  // The mail's subject (unfolded by the receiver) carries the message; its body may be quoted-printable.
  for (const text of [subject, JSON.parse(slackCopies[0].body).text, JSON.parse(smsCopies[0].body).message, peerCopies[0].body]) {
    for (const name of mustName) expect(text).toContain(name);
  }
  return JSON.parse(peerCopies[0].body).event;
}

describe("governance alerts through the radar's routing", () => {
  let emergencyHash = "";

  it("a PENDING declaration (4 of 7 signatures) stores and sends nothing", async () => {
    // An operator's silence of every CRITICAL event: radar noise may be muted, council decisions may not.
    await createSilence(f.pool, { matchers: [{ name: "severity", value: "CRITICAL" }], duration_seconds: 3600, comment: "noisy drift during maintenance" }, "ops", Date.now() / 1000);
    emergencyHash = (await submit("c1", { type: "emergency_declaration", body: { trigger: "pq-root-mismatch", evidence: "radar alert 42" } })).emergency_hash!;
    for (const c of ["c2", "c3", "c4"]) expect((await submit(c, { type: "emergency_signature", body: { emergency_hash: emergencyHash } })).status).toBe("PENDING");
    const tick = await runner.tick();
    expect(tick.active).toBe(true);
    expect(tick.governance).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500)); // time enough for a delivery to arrive, were one queued
    expect(await governanceEvents()).toEqual([]);
    expect(await count("SELECT count(*)::int AS n FROM alert_inbox")).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM alert_deliveries")).toBe(0);
    expect(received()).toBe(0);
  });

  it("the 5th signature stores one CRITICAL alert with the decision and sends it once to every CRITICAL channel", async () => {
    expect((await submit("c5", { type: "emergency_signature", body: { emergency_hash: emergencyHash } })).status).toBe("DECLARED");
    // Committed with the decision, before any radar tick: the alert and its inbox row.
    const [stored] = await governanceEvents();
    expect(stored).toMatchObject({ kind: "EMERGENCY_DECLARED", severity: "CRITICAL", drift_category: null, source: "governance" });
    expect(stored.details).toMatchObject({ emergency_hash: emergencyHash, signers: ["c1", "c2", "c3", "c4", "c5"], trigger: "pq-root-mismatch" });
    expect(await count("SELECT count(*)::int AS n FROM alert_inbox WHERE event_id = $1", [stored.event_id])).toBe(1);

    const tick = await runner.tick();
    expect(tick.governance.map((e) => e.event_id)).toEqual([stored.event_id]);
    expect(await count("SELECT count(*)::int AS n FROM alert_inbox")).toBe(0);
    const broadcast = await expectDeliveredEverywhere(stored.event_id, [emergencyHash, "c1, c2, c3, c4, c5"]);
    expect(broadcast).toMatchObject({ source: "governance", kind: "EMERGENCY_DECLARED", severity: "CRITICAL", drift_category: null });
    expect(await count("SELECT count(*)::int AS n FROM alert_deliveries WHERE event_id = $1 AND status <> 'sent'", [stored.event_id])).toBe(0);

    // Later ticks do not route it again.
    expect((await runner.tick()).governance).toEqual([]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(received()).toBe(4);
  });

  it("the rollback sends another CRITICAL alert, naming the rollback block", async () => {
    await submit("c2", { type: "rollback", body: { emergency_hash: emergencyHash, rollback_block: 160 } });
    const events = await governanceEvents();
    expect(events.map((e) => e.kind)).toEqual(["EMERGENCY_DECLARED", "ROLLBACK_EXECUTED"]);
    const rollback = events[1];
    expect(rollback.details).toMatchObject({ emergency_hash: emergencyHash, rollback_block: 160, rollback_algorithm: "SHA-256", rule_version: "v1-legacy" });
    expect((await runner.tick()).governance.map((e) => e.event_id)).toEqual([rollback.event_id]);
    await expectDeliveredEverywhere(rollback.event_id, [emergencyHash, "block 160", "c1, c2, c3, c4, c5"]);
    expect(received()).toBe(8);
  });

  it("a decision whose transaction fails leaves no alert to send", async () => {
    const second = (await submit("c3", { type: "emergency_declaration", body: { trigger: "second", evidence: "e" } })).emergency_hash!;
    for (const c of ["c4", "c5", "c6"]) await submit(c, { type: "emergency_signature", body: { emergency_hash: second } });
    // The 5th signature's transaction fails at its last statement (the signer's nonce), after the alert was written.
    await f.pool.query(`CREATE FUNCTION fail_c7() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$`);
    await f.pool.query("CREATE TRIGGER fail_c7 BEFORE UPDATE ON governance_members FOR EACH ROW WHEN (NEW.id = 'c7') EXECUTE FUNCTION fail_c7()");
    await expect(submit("c7", { type: "emergency_signature", body: { emergency_hash: second } })).rejects.toThrow(/disk full/);
    await f.pool.query("DROP TRIGGER fail_c7 ON governance_members; DROP FUNCTION fail_c7()");
    expect(await count("SELECT count(*)::int AS n FROM governance_emergencies WHERE hash = $1 AND status = 'PENDING'", [second])).toBe(1);
    expect((await governanceEvents()).map((e) => e.kind)).toEqual(["EMERGENCY_DECLARED", "ROLLBACK_EXECUTED"]);
    expect(await count("SELECT count(*)::int AS n FROM alert_inbox")).toBe(0);
    expect((await runner.tick()).governance).toEqual([]);

    // Signed again, it commits, and its alert with it.
    expect((await submit("c7", { type: "emergency_signature", body: { emergency_hash: second } })).status).toBe("DECLARED");
    const events = await governanceEvents();
    expect(events.map((e) => e.kind)).toEqual(["EMERGENCY_DECLARED", "ROLLBACK_EXECUTED", "EMERGENCY_DECLARED"]);
    expect((await runner.tick()).governance).toHaveLength(1);
    await expectDeliveredEverywhere(events[2].event_id, [second, "c3, c4, c5, c6, c7"]);
  });

  it("the dashboard and the radar page list them, and the health says why it is CRITICAL", async () => {
    const { dashboard_data: d } = await getDashboardData(f.pool, { expectedIntervalSeconds: 1 });
    const governance = d.recent_alerts.filter((a) => a.source === "governance");
    expect(governance.map((a) => a.kind)).toEqual(["EMERGENCY_DECLARED", "ROLLBACK_EXECUTED", "EMERGENCY_DECLARED"]);
    for (const a of governance) {
      expect(Object.keys(a)).toEqual(["event_id", "timestamp", "severity", "message", "resolved", "drift_category", "block_number", "source", "kind"]);
      expect(a).toMatchObject({ severity: "CRITICAL", resolved: false, drift_category: null });
    }
    expect(governance.find((a) => a.kind === "ROLLBACK_EXECUTED")!.block_number).toBe(160);
    expect(d.network_health).toBe("CRITICAL");
    const snapshot = await getRadarSnapshot(f.pool, { expectedIntervalSeconds: 1 });
    expect(snapshot.open_events.filter((e) => e.source === "governance")).toHaveLength(3);
    expect(snapshot.health_reasons).toContain("2 open CRITICAL governance EMERGENCY_DECLARED drift events");
    expect(snapshot.deliveries.filter((x) => governance.some((a) => a.event_id === x.event_id)).length).toBeGreaterThanOrEqual(12);
  });
});
