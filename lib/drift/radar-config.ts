/**
 * The radar's alerting configuration (the YAML file named by MATHLEDGER_RADAR_CONFIG, read by server/drift): the
 * channels with their default recipients, and an optional `routing` that overrides the plan's map per severity.
 *
 *   channels:
 *     email: { smtp_url: "smtp://127.0.0.1:2525", from: "radar@example.org", to: ["ops@example.org"] }
 *     slack: { webhook_url: "https://hooks.example.org/T000/B000", channel: "#pq-migration-alerts" }
 *     sms: { webhook_url: "https://sms.example.org/send", to: ["+15550100"] }
 *     network_broadcast: { endpoints: [{ url: "https://node-2.example.org/api/v1/radar/broadcast", secret: "${NODE2_SECRET}" }] }
 *   routing:
 *     HIGH: { channels: [email, slack], throttle_seconds: 300, recipients: { email: ["oncall@example.org"] } }
 *
 * `${NAME}` in any string is replaced from the environment given (secrets stay out of the file). Every problem is
 * reported with the key path that holds it ("channels.email.smtp_url: ..."), so a bad file stops start-up with a
 * message an operator can act on.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { expandEnvReferences } from "../config/env-references";
import { SEVERITIES, type Severity } from "./drift-event";

export const ALERT_CHANNELS = ["sms", "email", "slack", "network_broadcast", "dashboard"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** The plan's ALERT_ROUTING (PLAN.md §3), without its example recipients: those come from the channels. */
export const DEFAULT_ROUTING: Record<Severity, { channels: AlertChannel[]; throttle_seconds: number }> = {
  CRITICAL: { channels: ["sms", "email", "slack", "network_broadcast"], throttle_seconds: 0 },
  HIGH: { channels: ["email", "slack"], throttle_seconds: 300 },
  MEDIUM: { channels: ["email"], throttle_seconds: 3600 },
  LOW: { channels: ["dashboard"], throttle_seconds: 86400 },
};

const httpUrl = z.string().refine((s) => /^https?:\/\/[^\s]+$/.test(s) && URL.canParse(s), "must be an http(s) URL");
const smtpUrl = z.string().refine((s) => /^smtps?:\/\/[^\s]+$/.test(s) && URL.canParse(s), "must be an smtp:// or smtps:// URL");
const email = z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, "must be an e-mail address");
const phone = z.string().regex(/^\+[1-9][0-9]{6,14}$/, "must be a phone number in E.164 form (+15550100)");
const secret = z.string().min(16, "must be at least 16 characters");

const channelsSchema = z
  .object({
    email: z.object({ smtp_url: smtpUrl, from: email, to: z.array(email).min(1) }).strict().optional(),
    slack: z.object({ webhook_url: httpUrl, channel: z.string().min(1).optional() }).strict().optional(),
    sms: z.object({ webhook_url: httpUrl, to: z.array(phone).min(1) }).strict().optional(),
    network_broadcast: z
      .object({
        /** Default secret for endpoints given as bare URLs. */
        secret: secret.optional(),
        endpoints: z.array(z.union([httpUrl, z.object({ url: httpUrl, secret: secret.optional() }).strict()])).min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

const routeSchema = z
  .object({
    channels: z.array(z.enum(ALERT_CHANNELS)).min(1).optional(),
    throttle_seconds: z.number().int().min(0).max(7 * 86400).optional(),
    recipients: z
      .object({ email: z.array(email).optional(), slack: z.array(z.string().min(1)).optional(), sms: z.array(phone).optional() })
      .strict()
      .optional(),
  })
  .strict();

const fileSchema = z
  .object({
    channels: channelsSchema.default({}),
    routing: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, routeSchema.optional()])) as Record<Severity, z.ZodOptional<typeof routeSchema>>).strict().optional(),
  })
  .strict();

export interface BroadcastEndpoint {
  url: string;
  secret: string;
}

export interface RadarAlertConfig {
  channels: {
    email?: { smtp_url: string; from: string; to: string[] };
    slack?: { webhook_url: string; channel?: string };
    sms?: { webhook_url: string; to: string[] };
    network_broadcast?: { endpoints: BroadcastEndpoint[] };
  };
  routing: Record<Severity, { channels: AlertChannel[]; throttle_seconds: number; recipients: { email?: string[]; slack?: string[]; sms?: string[] } }>;
  /** False when there was no file: events are stored and shown, nothing is sent. */
  sending: boolean;
}

/** The configuration with no file: nothing is sent (the dashboard still shows everything). */
export const NO_ALERT_CONFIG: RadarAlertConfig = {
  channels: {},
  routing: Object.fromEntries(SEVERITIES.map((s) => [s, { channels: ["dashboard"], throttle_seconds: DEFAULT_ROUTING[s].throttle_seconds, recipients: {} }])) as RadarAlertConfig["routing"],
  sending: false,
};

function fail(path: (string | number)[], message: string): never {
  throw new AppError("CONFIG", `radar configuration: ${path.length ? path.join(".") : "(top level)"}: ${message}`);
}

/** ${NAME} references of the radar's file (lib/config/env-references.ts), errors in the radar's words. */
export function expandEnv(value: unknown, env: Record<string, string | undefined>): unknown {
  return expandEnvReferences(value, env, "radar configuration");
}

/** Validates a parsed YAML document into the alerting configuration; throws AppError("CONFIG") naming the key. */
export function parseRadarAlertConfig(doc: unknown, env: Record<string, string | undefined>): RadarAlertConfig {
  if (doc === null || doc === undefined) fail([], "the file is empty");
  const expanded = expandEnv(doc, env);
  const parsed = fileSchema.safeParse(expanded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(issue.path as (string | number)[], issue.message);
  }
  const file = parsed.data;
  const channels: RadarAlertConfig["channels"] = { email: file.channels.email, slack: file.channels.slack, sms: file.channels.sms };
  if (file.channels.network_broadcast) {
    const nb = file.channels.network_broadcast;
    channels.network_broadcast = {
      endpoints: nb.endpoints.map((e, i) => {
        const url = typeof e === "string" ? e : e.url;
        const s = (typeof e === "string" ? undefined : e.secret) ?? nb.secret;
        if (!s) fail(["channels", "network_broadcast", "endpoints", i, "secret"], "every broadcast endpoint needs a secret (its own or channels.network_broadcast.secret)");
        return { url, secret: s };
      }),
    };
  }
  const configured = (c: AlertChannel) => c === "dashboard" || channels[c as keyof typeof channels] !== undefined;
  const routing = {} as RadarAlertConfig["routing"];
  for (const severity of SEVERITIES) {
    const given = file.routing?.[severity];
    const base = DEFAULT_ROUTING[severity];
    given?.channels?.forEach((c, i) => {
      if (!configured(c)) fail(["routing", severity, "channels", i], `channel ${c} is not configured under channels`);
    });
    // The plan's defaults name channels a deployment may not have: those are skipped, not errors.
    const list = given?.channels ?? base.channels.filter(configured);
    routing[severity] = {
      channels: list.length ? list : ["dashboard"],
      throttle_seconds: given?.throttle_seconds ?? base.throttle_seconds,
      recipients: given?.recipients ?? {},
    };
  }
  return { channels, routing, sending: true };
}
