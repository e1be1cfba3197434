import { describe, expect, it } from "vitest";

import { findSecrets, secretForms } from "./secret-scan";

const TOKEN = { name: "node token", value: ">>>???s3cr3t+t0ken/with=chars" }; // its base64 has + and /

describe("findSecrets", () => {
  it("finds a secret as is, URL-encoded, JSON-escaped and base64-encoded", () => {
    const forms = secretForms(TOKEN.value);
    for (const { form, text } of forms) {
      const findings = findSecrets(`before ${text} after`, [TOKEN], "page");
      expect(findings.map((f) => f.form), form).toContain(form);
    }
    expect(forms.map((f) => f.form)).toEqual(["as is", "URL-encoded", "base64", "base64url"]);
  });

  it("reports where and how often, naming the secret, not its value", () => {
    const findings = findSecrets(`x${TOKEN.value}y${TOKEN.value}`, [TOKEN], "/api/v1/status");
    expect(findings).toEqual([
      { secret: "node token", form: "as is", where: "/api/v1/status", offset: 1 },
      { secret: "node token", form: "as is", where: "/api/v1/status", offset: 2 + TOKEN.value.length },
    ]);
  });

  it("finds nothing in clean text and ignores values too short to be secrets", () => {
    expect(findSecrets("<html>dashboard</html>", [TOKEN], "page")).toEqual([]);
    expect(findSecrets("a password: pw", [{ name: "short", value: "pw" }], "log")).toEqual([]);
  });

  it("finds a JSON-escaped secret", () => {
    const secret = { name: "password", value: 'pa"ss\\word-123' };
    expect(findSecrets(JSON.stringify({ p: secret.value }), [secret], "body")).toHaveLength(1);
  });
});
