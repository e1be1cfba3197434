/**
 * Signed governance actions arriving over HTTP (the tRPC mutations), with their rate limits (issue 12 §3):
 *  - per client address, before anything else: bounds the signature checks one address can make the server run;
 *  - per member, once both signatures verified and the nonce is above the member's last: only the key holder can
 *    spend a member's budget, and replaying a member's published envelopes (export bundles hold them) costs the
 *    replayer's address, not the member. The nonce read here is a cheap early refusal; the authoritative check stays
 *    in submitEnvelope's transaction. With the per-member limit off (MATHLEDGER_RATE_LIMITS=off, or its bucket 0)
 *    there is no budget to protect and the read is skipped.
 * Both signatures are checked on the web server's verification threads (verify-pool.ts), off the request thread.
 * The CLI and the worker call submitEnvelope directly (they are the operator's own processes).
 */
import type pg from "pg";
import { checkNonce } from "../../lib/governance/envelope";
import { isUnlimited } from "../../lib/security/rate-limit-policy";
import { configuredRateLimit, enforceRateLimit } from "../security/rate-limit";
import { signatureCheck } from "./verify-pool";
import { submitEnvelope, type SubmitOptions } from "./submit-envelope";
import type { ActionResult } from "./action-context";

export async function submitEnvelopeRateLimited(pool: pg.Pool, input: unknown, options: SubmitOptions & { clientAddress: string }): Promise<ActionResult> {
  await enforceRateLimit("signature-ip", options.clientAddress);
  return submitEnvelope(pool, input, {
    ...options,
    checkSignatures: options.checkSignatures ?? signatureCheck(),
    afterVerify: async (envelope) => {
      if (isUnlimited(configuredRateLimit("signature-key"))) return;
      const signer = envelope.message.signer;
      const { rows } = await pool.query<{ last_nonce: string | number }>("SELECT last_nonce FROM governance_members WHERE id = $1", [signer]);
      checkNonce(signer, envelope.message.nonce, Number(rows[0]?.last_nonce ?? 0));
      await enforceRateLimit("signature-key", signer);
    },
  });
}
