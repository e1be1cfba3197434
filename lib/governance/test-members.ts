/**
 * Deterministic members and keys for tests and the golden vectors: member `id`'s 64-byte secret is
 * SHA-256("mathledger-governance-test-key:" + id + ":0") || SHA-256(... ":1"). Never use these keys for anything real.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes } from "../encoding/hex";
import { signMessage, type SignedEnvelope } from "./envelope";
import { signingKeyFromSecret, type HybridSigningKey } from "./hybrid-keys";
import { buildMessage, type MessageDraft } from "./message";
import type { MessageType } from "./bodies";
import type { Genesis, Member, Role } from "./members";

export const TEST_NETWORK = "mathledger-devnet";
const utf8 = new TextEncoder();

export function testSecret(id: string): Uint8Array {
  return concatBytes(sha256(utf8.encode(`mathledger-governance-test-key:${id}:0`)), sha256(utf8.encode(`mathledger-governance-test-key:${id}:1`)));
}

const keyCache = new Map<string, HybridSigningKey>();
export function testKey(id: string): HybridSigningKey {
  let key = keyCache.get(id);
  if (!key) keyCache.set(id, (key = signingKeyFromSecret(testSecret(id))));
  return key;
}

export function testMember(id: string, roles: Role[], votingPower = 0): Member {
  return { id, name: id[0].toUpperCase() + id.slice(1), roles, voting_power: votingPower, keys: testKey(id).publicKeys };
}

/** 7 council members (c1..c7, also voters with power 10), 3 reviewers, 2 proposers, 10 voters (v1..v10, power 1..10). */
export function testGenesis(): Genesis {
  const members: Member[] = [];
  for (let i = 1; i <= 7; i++) members.push(testMember(`c${i}`, ["council", "voter"], 10));
  for (let i = 1; i <= 3; i++) members.push(testMember(`r${i}`, ["reviewer"]));
  for (let i = 1; i <= 2; i++) members.push(testMember(`p${i}`, ["proposer"]));
  for (let i = 1; i <= 10; i++) members.push(testMember(`v${i}`, ["voter"], i));
  return { network_id: TEST_NETWORK, params: { voting_period_seconds: 604800, activation_lead_blocks: 100, attestation_period_seconds: 259200 }, members };
}

export interface SignOptions {
  nonce: number;
  issuedAt?: number;
  ttl?: number;
  networkId?: string;
}

/** Builds and signs a message as member `signer` (deterministic ML-DSA so results are reproducible). */
export function signAs<T extends MessageType>(signer: string, draft: MessageDraft<T>, options: SignOptions): SignedEnvelope<T> {
  const message = buildMessage(draft, {
    network_id: options.networkId ?? TEST_NETWORK,
    signer,
    nonce: options.nonce,
    issued_at: options.issuedAt ?? 1_800_000_000,
    ttl_seconds: options.ttl ?? 3600,
  });
  return signMessage(message, testKey(signer), { deterministic: true });
}

export const SAMPLE_PROPOSAL_BODY = {
  proposal_id: "PQ-ACTIVATION-1",
  proposal_type: "epoch_activation" as const,
  title: "Activate SHA3-256 dual commitments",
  activation_block: 500,
  epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2-dual-required" },
  rationale: "Benchmarks show the dual chain within budget.",
  benchmark_results: { block_validation_ms_p95: 12 },
  risk_assessment: { level: "medium" },
  implementation_readiness: { nodes_upgraded_percent: 95 },
  endorsements: [],
};
