/**
 * `governance export`: a proposal's bundle (docs/spec/governance.md §10) and its votes as CSV. The bundle carries
 * every signed envelope (every vote version) and the frozen power table, so recountBundle can redo the tally offline.
 */
import type pg from "pg";
import { BUNDLE_FORMAT, type ProposalBundle } from "../../lib/governance/recount";
import { loadGovernance } from "./governance-store";
import { getProposal, listVotes } from "./governance-queries";

export async function exportBundle(pool: pg.Pool, hash: string): Promise<{ bundle: ProposalBundle; csv: string }> {
  const [proposal, votes, registry] = await Promise.all([getProposal(pool, hash), listVotes(pool, hash), loadGovernance(pool)]);
  const signers = new Set([proposal.proposer, ...votes.map((v) => v.voter)]);
  const bundle: ProposalBundle = {
    format: BUNDLE_FORMAT,
    version: 1,
    network_id: registry.networkId,
    proposal_hash: hash,
    proposal: proposal.envelope,
    members: [...registry.members.values()].filter((m) => signers.has(m.id)),
    power_table: proposal.power_table ?? {},
    votes: votes.map((v) => v.envelope),
    tally: proposal.tally,
  };
  const csv = ["voter,choice,nonce,voting_power,created_at,digest", ...votes.map((v) => [v.voter, v.choice, v.nonce, bundle.power_table[v.voter] ?? 0, v.created_at, v.digest].join(","))].join("\n") + "\n";
  return { bundle, csv };
}
