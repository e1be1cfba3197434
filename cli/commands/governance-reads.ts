/** Online governance reads: `governance show`, `governance tally`, `governance export`, `governance verify-log`. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../lib/errors";
import type { Tally } from "../../lib/governance/tally";
import { defineCommand } from "../command";
import { withChainDatabase } from "../database";

const HASH = /^0x[0-9a-f]{64}$/;
const iso = (t: number | null) => (t === null ? "-" : new Date(t * 1000).toISOString());

function tallyLines(t: Tally | null): string[] {
  if (!t) return ["  tally           (voting has not opened)"];
  return [
    `  yes/no/abstain  ${t.yes} / ${t.no} / ${t.abstain} of ${t.total_power} frozen power (${t.voters} voters)`,
    `  quorum          ${t.cast} cast, ${t.quorum_power} needed (40%): ${t.quorum_met ? "met" : "not met"}`,
    `  approval        yes/(yes+no) ≥ 667/1000: ${t.approval_met ? "met" : "not met"} → ${t.outcome}`,
  ];
}

export const governanceShowCommand = defineCommand({
  name: "governance show",
  summary: "show a proposal, an attestation or an emergency",
  description: "Exactly one of --proposal, --attestation, --emergency. Exit 0; 1 when it does not exist (UNKNOWN_TARGET).",
  synopsis: "(--proposal HASH | --attestation ID | --emergency HASH)",
  flags: {
    proposal: { kind: "string", value: "HASH", description: "a proposal hash" },
    attestation: { kind: "string", value: "ID", description: "an attestation id" },
    emergency: { kind: "string", value: "HASH", description: "an emergency hash" },
  },
  examples: ["mathledger-cli governance show --proposal 0x…", "mathledger-cli governance show --attestation ATTEST-dual-activation-200 --json"],
  async run(flags, context) {
    const given = [flags.proposal, flags.attestation, flags.emergency].filter((v) => v !== undefined).length;
    if (given !== 1) throw new AppError("USAGE", "give exactly one of --proposal HASH, --attestation ID, --emergency HASH");
    if ((flags.proposal && !HASH.test(flags.proposal)) || (flags.emergency && !HASH.test(flags.emergency))) throw new AppError("USAGE", "hashes are 0x-prefixed lowercase 32-byte hex");
    const q = await import("../../server/governance/governance-queries");
    return withChainDatabase(context, async ({ pool }) => {
      if (flags.proposal) {
        const p = await q.getProposal(pool, flags.proposal);
        const { envelope: _e, body, ...rest } = p;
        const text = [
          `proposal ${p.proposal_hash}: ${p.title} [${p.status}]`,
          `  proposal_id     ${p.proposal_id} by ${p.proposer}, submitted ${iso(p.submission_timestamp)}`,
          `  epoch           ${body.epoch_parameters.rule_version} ${body.epoch_parameters.algorithm_name} from block ${p.activation_block}`,
          `  reviews         ${p.reviews.map((r) => `${r.reviewer}:${r.recommendation}`).join(", ") || "none"} (consensus: ${p.review_consensus ?? "none yet"})`,
          `  voting          ${iso(p.voting_starts_at)} → ${iso(p.voting_ends_at)}, ${p.vote_count} vote versions`,
          ...tallyLines(p.tally),
        ].join("\n");
        return { outcome: "ok", json: { ...rest, body }, text };
      }
      if (flags.attestation) {
        const a = await q.getAttestation(pool, flags.attestation);
        return { outcome: "ok", json: a, text: `attestation ${a.attestation_id} [${a.status}] ${a.signatures.length}/${a.threshold.split("/")[1]} signed (threshold ${a.threshold})\n  block ${a.block_number} ${a.block_hash}\n  pq root ${a.pq_merkle_root ?? "none"}\n  deadline ${iso(a.deadline)}\n  signers ${a.signatures.map((s) => s.signer).join(", ") || "none"}` };
      }
      const e = await q.getEmergency(pool, flags.emergency!);
      return { outcome: "ok", json: e, text: `emergency ${e.emergency_hash} [${e.status}] ${e.signatures.length}/7 council signatures (threshold ${e.threshold})\n  trigger ${e.trigger}\n  declarer ${e.declarer}\n  signers ${e.signatures.map((s) => s.signer).join(", ")}${e.rollback_block !== null ? `\n  rollback at block ${e.rollback_block} by ${e.rollback_by}` : ""}` };
    });
  },
});

export const governanceTallyCommand = defineCommand({
  name: "governance tally",
  summary: "the tally of a proposal (live while voting, final afterwards)",
  description: "Counts each voter's latest vote with the power frozen when voting opened (docs/spec/governance.md §6.3).",
  flags: { proposal: { kind: "string", value: "HASH", required: true, description: "the proposal hash" } },
  examples: ["mathledger-cli governance tally --proposal 0x… --json"],
  async run(flags, context) {
    if (!HASH.test(flags.proposal)) throw new AppError("USAGE", "--proposal must be a 0x-prefixed lowercase 32-byte hex hash");
    const { getTally } = await import("../../server/governance/governance-queries");
    return withChainDatabase(context, async ({ pool }) => {
      const t = await getTally(pool, flags.proposal);
      return { outcome: "ok", json: t, text: [`proposal ${t.proposal_hash} [${t.status}]`, ...tallyLines(t.tally)].join("\n") };
    });
  },
});

export const governanceExportCommand = defineCommand({
  name: "governance export",
  summary: "write a proposal's bundle (every signed envelope, frozen power) and its votes as CSV",
  description: "Writes DIR/<proposal hash>.bundle.json and DIR/<proposal hash>.votes.csv; `governance recount --bundle` re-verifies the bundle offline.",
  flags: {
    proposal: { kind: "string", value: "HASH", required: true, description: "the proposal hash" },
    out: { kind: "string", value: "DIR", required: true, description: "the directory to write into (created if missing)" },
  },
  examples: ["mathledger-cli governance export --proposal 0x… --out ./audit"],
  async run(flags, context) {
    if (!HASH.test(flags.proposal)) throw new AppError("USAGE", "--proposal must be a 0x-prefixed lowercase 32-byte hex hash");
    const { exportBundle } = await import("../../server/governance/export-bundle");
    return withChainDatabase(context, async ({ pool }) => {
      const { bundle, csv } = await exportBundle(pool, flags.proposal);
      const dir = path.resolve(context.cwd, flags.out);
      await mkdir(dir, { recursive: true });
      const bundleFile = path.join(dir, `${flags.proposal}.bundle.json`);
      const csvFile = path.join(dir, `${flags.proposal}.votes.csv`);
      await writeFile(bundleFile, JSON.stringify(bundle, null, 2) + "\n");
      await writeFile(csvFile, csv);
      const json = { proposal_hash: flags.proposal, bundle_file: bundleFile, votes_csv: csvFile, votes: bundle.votes.length };
      return { outcome: "ok", json, text: `wrote ${bundleFile} (${bundle.votes.length} vote envelopes)\nwrote ${csvFile}` };
    });
  },
});

export const governanceVerifyLogCommand = defineCommand({
  name: "governance verify-log",
  summary: "verify the hash chain of the governance audit log",
  description: "Recomputes every entry's hash and link (docs/spec/governance.md §8). Exit 0 intact; 1 with the first altered entry.",
  flags: {},
  examples: ["mathledger-cli governance verify-log --json"],
  async run(_flags, context) {
    const { verifyStoredAuditLog } = await import("../../server/governance/audit-store");
    return withChainDatabase(context, async ({ pool }) => {
      const v = await verifyStoredAuditLog(pool);
      if (v.ok) return { outcome: "ok", json: v, text: `audit log intact: ${v.entries} entries, head ${v.head}` };
      return { outcome: "invalid", json: { ...v, code: "AUDIT_CHAIN_BROKEN" }, text: `AUDIT_CHAIN_BROKEN at entry ${v.seq}: ${v.reason}` };
    });
  },
});
