/**
 * The channels that carry alerts to people and peers. Each send either succeeds or throws (the outbox retries it).
 *
 *  - email: SMTP through nodemailer; the idempotency key is the Message-ID.
 *  - slack: an incoming-webhook JSON POST ({"text", "channel"}).
 *  - sms: a JSON POST to the provider's webhook ({"to", "message"}).
 *  - network_broadcast: a JSON POST of the event to each peer endpoint, signed with HMAC-SHA256 under the
 *    endpoint's secret: `X-MathLedger-Signature: sha256=<hex>` over the exact body bytes.
 * Webhooks carry the key as an `Idempotency-Key` header, so a receiver can drop the duplicate that a crash between
 * sending and recording can cause.
 */
import { createHmac } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import type { AlertEvent } from "../../lib/drift/drift-event";
import { alertText } from "../../lib/drift/alert-policy";
import type { RadarAlertConfig } from "../../lib/drift/radar-config";

export interface DeliveryJob {
  event: AlertEvent;
  channel: "email" | "slack" | "sms" | "network_broadcast";
  target: string;
  idempotencyKey: string;
  foldedCount: number;
  /** Per-severity recipient overrides from routing. */
  recipients: { email?: string[]; slack?: string[]; sms?: string[] };
}

const TIMEOUT_MS = 10_000;

export function broadcastSignature(secret: string, body: string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}

async function postJson(url: string, body: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: "error",
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`${new URL(url).host} answered HTTP ${response.status}`);
}

const transports = new Map<string, Transporter>();

/** A pooled SMTP transport for an smtp:// or smtps:// URL (user and password, when present, in the URL). */
function smtpTransport(smtpUrl: string): Transporter {
  const u = new URL(smtpUrl);
  const secure = u.protocol === "smtps:";
  return nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    pool: true,
    maxConnections: 3,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
}

export async function sendDelivery(config: RadarAlertConfig, job: DeliveryJob): Promise<void> {
  const { subject, text } = alertText(job.event, job.foldedCount);
  const key = job.idempotencyKey;
  switch (job.channel) {
    case "email": {
      const c = config.channels.email;
      if (!c) throw new Error("the email channel is no longer configured");
      let transport = transports.get(c.smtp_url);
      if (!transport) {
        transport = smtpTransport(c.smtp_url);
        transports.set(c.smtp_url, transport);
      }
      await transport.sendMail({
        from: c.from,
        to: job.recipients.email ?? c.to,
        subject,
        text,
        messageId: `<${key}@mathledger-radar>`,
        headers: { "X-MathLedger-Idempotency-Key": key },
      });
      return;
    }
    case "slack": {
      const c = config.channels.slack;
      if (!c) throw new Error("the slack channel is no longer configured");
      const channel = job.recipients.slack?.[0] ?? c.channel;
      await postJson(c.webhook_url, JSON.stringify({ text: `${subject}\n${job.event.message}`, ...(channel ? { channel } : {}) }), { "Idempotency-Key": key });
      return;
    }
    case "sms": {
      const c = config.channels.sms;
      if (!c) throw new Error("the sms channel is no longer configured");
      await postJson(c.webhook_url, JSON.stringify({ to: job.recipients.sms ?? c.to, message: subject.slice(0, 480) }), { "Idempotency-Key": key });
      return;
    }
    case "network_broadcast": {
      const endpoint = config.channels.network_broadcast?.endpoints.find((e) => e.url === job.target);
      if (!endpoint) throw new Error(`broadcast endpoint ${job.target} is no longer configured`);
      const body = JSON.stringify({ idempotency_key: key, folded_count: job.foldedCount, event: job.event });
      await postJson(endpoint.url, body, { "Idempotency-Key": key, "X-MathLedger-Signature": broadcastSignature(endpoint.secret, body) });
      return;
    }
  }
}
