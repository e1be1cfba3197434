/**
 * Finds secrets in text the product sends out (pages, scripts, API bodies) or writes (logs). Used by the end-to-end
 * secret-leak test; pure so that its ability to find a leak is itself tested (secret-scan.test.ts).
 *
 * A secret may leave in another spelling than it is stored: URL-encoded inside a connection string, base64 inside
 * a header, JSON-escaped. Each named secret is searched in every form that spells it differently.
 */

export interface NamedSecret {
  /** What it is ("node token"), for the report; never the value. */
  name: string;
  value: string;
}

export interface SecretFinding {
  secret: string;
  /** Which spelling matched ("as is", "URL-encoded", ...). */
  form: string;
  /** Where: the caller's label (a URL, a file path) and the character offset. */
  where: string;
  offset: number;
}

/** Shorter values are not secrets worth scanning for: they would match by chance. */
export const MIN_SECRET_LENGTH = 8;

/** The distinct spellings of `value` that could appear in output. */
export function secretForms(value: string): Array<{ form: string; text: string }> {
  // Unpadded: inside a longer base64 run the padding is not there.
  const base64 = btoa(String.fromCharCode(...new TextEncoder().encode(value))).replace(/=+$/, "");
  const forms = [
    { form: "as is", text: value },
    { form: "URL-encoded", text: encodeURIComponent(value) },
    { form: "JSON-escaped", text: JSON.stringify(value).slice(1, -1) },
    { form: "base64", text: base64 },
    { form: "base64url", text: base64.replace(/\+/g, "-").replace(/\//g, "_") },
  ];
  const seen = new Set<string>();
  return forms.filter(({ text }) => text.length >= MIN_SECRET_LENGTH && !seen.has(text) && seen.add(text));
}

/** Every occurrence of every secret (in every form) in `text`. */
export function findSecrets(text: string, secrets: readonly NamedSecret[], where: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const secret of secrets) {
    if (secret.value.length < MIN_SECRET_LENGTH) continue;
    for (const { form, text: needle } of secretForms(secret.value)) {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
        findings.push({ secret: secret.name, form, where, offset: at });
      }
    }
  }
  return findings;
}
