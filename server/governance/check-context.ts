/**
 * What the portal needs to check a proposal or a rollback in the browser before it is signed, with the same lib/
 * rules the server applies at submission: the epoch registry, the canonical tip and its finalized height, and the
 * governance parameters (the activation lead). Read fresh on every call: the tip moves every few seconds.
 */
import type pg from "pg";
import type { Epoch } from "../../lib/consensus/epochs";
import { DEFAULT_FORK_CHOICE_PARAMS, finalizedHeight } from "../../lib/consensus/fork-choice";
import { canonicalTipNumber, loadEpochRegistry } from "../chain/epoch-registry";
import { loadGovernance } from "./governance-store";

export interface GovernanceCheckContext {
  network_id: string;
  /** The canonical tip's height; -1 on an empty chain. */
  tip: number;
  /** The highest final block, or null when nothing is final yet (as submitProposal hands it to checkProposal). */
  finalized_height: number | null;
  activation_lead_blocks: number;
  registry: Epoch[];
}

export async function getGovernanceCheckContext(pool: pg.Pool): Promise<GovernanceCheckContext> {
  const governance = await loadGovernance(pool);
  const tip = await canonicalTipNumber(pool);
  const finalized = finalizedHeight(tip, DEFAULT_FORK_CHOICE_PARAMS);
  return {
    network_id: governance.networkId,
    tip,
    finalized_height: finalized < 0 ? null : finalized,
    activation_lead_blocks: governance.params.activation_lead_blocks,
    registry: await loadEpochRegistry(pool),
  };
}
