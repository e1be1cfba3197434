import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadRadarAlertConfig } from "./radar-config-file";

const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-radar-config-"));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("loadRadarAlertConfig", () => {
  it("no MATHLEDGER_RADAR_CONFIG: nothing is sent", () => {
    expect(loadRadarAlertConfig({}).sending).toBe(false);
  });

  it("reads the issue's YAML, with ${ENV} secrets", () => {
    const p = file(
      "ok.yaml",
      `channels:
  email: { smtp_url: "smtp://127.0.0.1:2525", from: "radar@example.org", to: ["ops@example.org"] }
  slack: { webhook_url: "https://hooks.example.org/T000/B000", channel: "#pq-migration-alerts" }
  sms: { webhook_url: "https://sms.example.org/send", to: ["+15550100"] }
  network_broadcast: { endpoints: [{ url: "https://node-2.example.org/api/v1/radar/broadcast", secret: "\${NODE2_SECRET}" }] }
routing:
  HIGH: { channels: [email, slack], throttle_seconds: 300 }
`,
    );
    const c = loadRadarAlertConfig({ MATHLEDGER_RADAR_CONFIG: p, NODE2_SECRET: "abcdefghijklmnop-1234" });
    expect(c.sending).toBe(true);
    expect(c.channels.network_broadcast?.endpoints[0].secret).toBe("abcdefghijklmnop-1234");
    expect(c.routing.HIGH).toMatchObject({ channels: ["email", "slack"], throttle_seconds: 300 });
  });

  it("a bad file stops start-up with a message naming the file and the key", () => {
    const bad = file("bad.yaml", "channels:\n  slack: { webhook_url: 42 }\n");
    expect(() => loadRadarAlertConfig({ MATHLEDGER_RADAR_CONFIG: bad })).toThrow(/bad\.yaml: radar configuration: channels\.slack\.webhook_url/);
    const yaml = file("broken.yaml", "channels: [\n");
    expect(() => loadRadarAlertConfig({ MATHLEDGER_RADAR_CONFIG: yaml })).toThrow(/broken\.yaml: not valid YAML/);
    const dup = file("dup.yaml", "channels: {}\nchannels: {}\n");
    expect(() => loadRadarAlertConfig({ MATHLEDGER_RADAR_CONFIG: dup })).toThrow(/not valid YAML/);
    expect(() => loadRadarAlertConfig({ MATHLEDGER_RADAR_CONFIG: path.join(dir, "missing.yaml") })).toThrow(/MATHLEDGER_RADAR_CONFIG: cannot read/);
    const env = file("env.yaml", 'channels:\n  sms: { webhook_url: "${SMS_URL}", to: ["+15550100"] }\n');
    expect(() => loadRadarAlertConfig({ MATHLEDGER_RADAR_CONFIG: env })).toThrow(/channels\.sms\.webhook_url: environment variable SMS_URL is not set/);
  });
});
