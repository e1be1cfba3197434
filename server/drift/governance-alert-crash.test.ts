/**
 * A governance alert survives the worker's death between the decision's commit and the delivery: the 5th council
 * signature commits while no radar process runs (the alert waits in alert_inbox), a radar worker starts, routes it
 * and is killed with SIGKILL while the receivers still hold its requests; a second worker delivers what is left.
 * Every CRITICAL channel gets the alert; a duplicate (the crash between sending and recording) carries the first
 * copy's idempotency key. Counted, not assumed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { parseRadarAlertConfig, type RadarAlertConfig } from "../../lib/drift/radar-config";
import { projectPath } from "../db/project-root";
import { submitEnvelope } from "../governance/submit-envelope";
import { createGovernanceFixture, T0, type GovernanceFixture } from "../governance/test-fixture";
import { prepareAlertQueueSchema } from "./alert-queue";
import { HttpReceiver, SmtpReceiver, waitFor } from "./test-support/receivers";

let f: GovernanceFixture;
let config: RadarAlertConfig;
const smtp = new SmtpReceiver();
const slack = new HttpReceiver();
const sms = new HttpReceiver();
const peer = new HttpReceiver();
const children: ChildProcess[] = [];

beforeAll(async () => {
  f = await createGovernanceFixture();
  await Promise.all([smtp.start(), slack.start(), sms.start(), peer.start()]);
  config = parseRadarAlertConfig(
    {
      channels: {
        email: { smtp_url: `smtp://127.0.0.1:${smtp.port}`, from: "radar@example.org", to: ["ops@example.org"] },
        slack: { webhook_url: slack.url("/hook") },
        sms: { webhook_url: sms.url("/send"), to: ["+15550100"] },
        network_broadcast: { endpoints: [{ url: peer.url("/broadcast"), secret: "peer-secret-0123456789" }] },
      },
    },
    {},
  );
  await prepareAlertQueueSchema(f.db.url);
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await Promise.all([smtp.stop(), slack.stop(), sms.stop(), peer.stop()]);
  await f?.close();
});

function startRadarWorker(): { child: ChildProcess; ready: Promise<void>; routed: string[] } {
  const child = spawn(process.execPath, ["--import", "tsx", projectPath("server", "drift", "test-support", "radar-worker.ts")], {
    env: { ...process.env, DATABASE_URL: f.db.url, MLPQ_ALERT_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const routed: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      const text = c.toString();
      for (const m of text.matchAll(/^routed (\S+)$/gm)) routed.push(m[1]);
      if (text.includes("ready")) resolve();
    });
    child.on("exit", (code, signal) => reject(new Error(`radar worker exited ${code ?? signal}`)));
  });
  return { child, ready, routed };
}

const submit = (signer: string, draft: Parameters<GovernanceFixture["sign"]>[1]) => submitEnvelope(f.pool, f.sign(signer, draft), { now: T0 });
const sentCount = async (eventId: string) =>
  Number((await f.pool.query("SELECT count(*)::int AS n FROM alert_deliveries WHERE event_id = $1 AND status = 'sent'", [eventId])).rows[0].n);

describe("governance alert under SIGKILL of the radar worker", () => {
  it("loses nothing between the decision's commit and the delivery, and duplicates keep their key", async () => {
    const hash = (await submit("c1", { type: "emergency_declaration", body: { trigger: "pq-root-mismatch", evidence: "e" } })).emergency_hash!;
    for (const c of ["c2", "c3", "c4", "c5"]) await submit(c, { type: "emergency_signature", body: { emergency_hash: hash } });
    const { rows } = await f.pool.query("SELECT event_id FROM drift_events WHERE source = 'governance'");
    expect(rows).toHaveLength(1);
    const eventId: string = rows[0].event_id;

    // The webhooks record each request, then take 3 s to answer: a kill in that gap is a crash mid-delivery.
    for (const r of [slack, sms, peer]) r.delayMs = 3000;
    const first = startRadarWorker();
    await first.ready;
    await waitFor(() => first.routed.includes(eventId) && slack.requests.length + sms.requests.length + peer.requests.length > 0, 60_000, "routed and under way");
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    const sentAtKill = await sentCount(eventId);
    expect(sentAtKill).toBeLessThan(4); // killed in the middle
    expect(Number((await f.pool.query("SELECT count(*)::int AS n FROM alert_inbox")).rows[0].n)).toBe(0); // routed before the kill

    for (const r of [slack, sms, peer]) r.delayMs = 0;
    const second = startRadarWorker();
    await second.ready;
    await waitFor(async () => (await sentCount(eventId)) === 4, 90_000, "every channel delivered");
    second.child.kill("SIGTERM");

    const keys = [
      ...smtp.mails.map((m) => m.messageId?.replace(/^<(.*)@mathledger-radar>$/, "$1")),
      ...[slack, sms, peer].flatMap((r) => r.requests.map((q) => String(q.headers["idempotency-key"]))),
    ];
    const expected = ["email", "slack", "sms", "network_broadcast"].map((c) => `${eventId}:${c}`);
    expect(new Set(keys)).toEqual(new Set(expected)); // none lost, nothing unknown
    const duplicates = keys.length - new Set(keys).size;
    expect(duplicates).toBeLessThanOrEqual(4); // at most one more copy per channel: what was in flight at the kill
    console.log(`[governance-alert-crash] ${keys.length} copies of 4 deliveries, ${duplicates} duplicate(s) under the same key, ${sentAtKill} recorded sent at the kill`);
  }, 180_000);
});
