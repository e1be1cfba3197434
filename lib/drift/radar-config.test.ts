import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTING, expandEnv, NO_ALERT_CONFIG, parseRadarAlertConfig } from "./radar-config";

const full = {
  channels: {
    email: { smtp_url: "smtp://127.0.0.1:2525", from: "radar@example.org", to: ["ops@example.org"] },
    slack: { webhook_url: "https://hooks.example.org/T000/B000", channel: "#pq-migration-alerts" },
    sms: { webhook_url: "https://sms.example.org/send", to: ["+15550100"] },
    network_broadcast: { endpoints: ["https://node-2.example.org/api/v1/radar/broadcast"], secret: "${BROADCAST_SECRET}" },
  },
};
const env = { BROADCAST_SECRET: "0123456789abcdef-secret" };

describe("parseRadarAlertConfig", () => {
  it("takes the issue's example with the plan's routing map as the default", () => {
    const c = parseRadarAlertConfig(full, env);
    expect(c.sending).toBe(true);
    for (const s of ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const) {
      expect(c.routing[s].channels).toEqual(DEFAULT_ROUTING[s].channels);
      expect(c.routing[s].throttle_seconds).toBe(DEFAULT_ROUTING[s].throttle_seconds);
    }
    expect(DEFAULT_ROUTING.CRITICAL).toEqual({ channels: ["sms", "email", "slack", "network_broadcast"], throttle_seconds: 0 });
    expect(DEFAULT_ROUTING.HIGH.throttle_seconds).toBe(300);
    expect(DEFAULT_ROUTING.MEDIUM.throttle_seconds).toBe(3600);
    expect(DEFAULT_ROUTING.LOW).toEqual({ channels: ["dashboard"], throttle_seconds: 86400 });
    expect(c.channels.network_broadcast?.endpoints).toEqual([{ url: "https://node-2.example.org/api/v1/radar/broadcast", secret: env.BROADCAST_SECRET }]);
  });

  it("routing overrides the map per severity, recipients included", () => {
    const c = parseRadarAlertConfig({ ...full, routing: { HIGH: { channels: ["email"], throttle_seconds: 60, recipients: { email: ["perf@example.org"] } } } }, env);
    expect(c.routing.HIGH).toEqual({ channels: ["email"], throttle_seconds: 60, recipients: { email: ["perf@example.org"] } });
    expect(c.routing.CRITICAL.channels).toHaveLength(4);
  });

  it("skips the plan's default channels a deployment has not configured", () => {
    const c = parseRadarAlertConfig({ channels: { email: full.channels.email } }, {});
    expect(c.routing.CRITICAL.channels).toEqual(["email"]);
    expect(c.routing.HIGH.channels).toEqual(["email"]);
  });

  it.each([
    [{ channels: { email: { ...full.channels.email, smtp_url: "http://x" } } }, /channels\.email\.smtp_url: must be an smtp/],
    [{ channels: { email: { ...full.channels.email, to: ["not an address"] } } }, /channels\.email\.to\.0: must be an e-mail address/],
    [{ channels: { sms: { webhook_url: "https://sms.example.org", to: ["5550100"] } } }, /channels\.sms\.to\.0: must be a phone number/],
    [{ channels: { emial: {} } }, /channels: .*emial/],
    [{ routing: { HIGH: { channels: ["slack"] } } }, /routing\.HIGH\.channels\.0: channel slack is not configured/],
    [{ routing: { URGENT: {} } }, /routing: .*URGENT/],
    [{ routing: { HIGH: { throttle_seconds: -1 } } }, /routing\.HIGH\.throttle_seconds/],
    [{ channels: { network_broadcast: { endpoints: ["https://n.example.org/x"] } } }, /channels\.network_broadcast\.endpoints\.0\.secret: every broadcast endpoint needs a secret/],
    [{ channels: { slack: { webhook_url: "${SLACK_URL}" } } }, /channels\.slack\.webhook_url: environment variable SLACK_URL is not set/],
    [null, /the file is empty/],
  ])("refuses %j naming the key", (doc, message) => {
    expect(() => parseRadarAlertConfig(doc, {})).toThrow(message);
  });
});

describe("expandEnv", () => {
  it("replaces ${NAME} everywhere and leaves other text alone", () => {
    expect(expandEnv({ a: ["x${A}y", 3], b: "$A ${B}" }, { A: "1", B: "2" })).toEqual({ a: ["x1y", 3], b: "$A 2" });
  });
});

describe("NO_ALERT_CONFIG", () => {
  it("sends nothing and shows everything on the dashboard", () => {
    expect(NO_ALERT_CONFIG.sending).toBe(false);
    expect(Object.values(NO_ALERT_CONFIG.routing).every((r) => r.channels.join() === "dashboard")).toBe(true);
  });
});
