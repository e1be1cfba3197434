/**
 * The list of commands, and finding the one a command line names.
 *
 * Commands are named by one or more words ("hash", "node status"); the longest name that matches the leading words of
 * the command line wins, so a group ("node") can hold several subcommands. Add a command by adding its definition to
 * COMMANDS, in the order `mathledger-cli --help` should list it.
 */
import { AppError } from "../lib/errors";
import { describeValue } from "../lib/encoding/hex";
import { closest } from "./args/parse-args";
import type { AnyCommand } from "./command";
import { blockInfoCommand } from "./commands/block-info";
import { epochInfoCommand } from "./commands/epoch-info";
import { exportCommand } from "./commands/export";
import { hashCommand } from "./commands/hash";
import { importCommand } from "./commands/import";
import { merkleProofCommand } from "./commands/merkle-proof";
import { merkleRootCommand } from "./commands/merkle-root";
import { nodeStatusCommand } from "./commands/node-status";
import { pqStatusCommand } from "./commands/pq-status";
import { sealBlockCommand } from "./commands/seal-block";
import { validateBlockCommand } from "./commands/validate-block";
import { verifyChainCommand } from "./commands/verify-chain";
import { verifyDualCommitmentCommand } from "./commands/verify-dual-commitment";
import { verifyProofCommand } from "./commands/verify-proof";
import { radarCommand } from "./commands/radar";
import { driftAckCommand, driftEventsCommand, driftInjectCommand, driftResolveCommand, driftSilenceCommand } from "./commands/drift";
import { governanceKeygenCommand, governancePubkeyCommand, governanceRecountCommand, governanceSignCommand } from "./commands/governance-keys";
import {
  governanceAttestationCreateCommand,
  governanceAttestCommand,
  governanceEmergencyDeclareCommand,
  governanceEmergencySignCommand,
  governanceProposeCommand,
  governanceReviewCommand,
  governanceRollbackCommand,
  governanceSubmitCommand,
  governanceVoteCommand,
} from "./commands/governance-actions";
import { withReasonCodes } from "./governance-support";
import { governanceExportCommand, governanceShowCommand, governanceTallyCommand, governanceVerifyLogCommand } from "./commands/governance-reads";

export const COMMANDS: readonly AnyCommand[] = [
  // Offline: files and arguments only (issue 2 §9).
  hashCommand,
  merkleRootCommand,
  merkleProofCommand,
  verifyProofCommand,
  sealBlockCommand,
  validateBlockCommand,
  // Online: the node's database (issue 3 §6); validate-block also takes --block-number.
  nodeStatusCommand,
  pqStatusCommand,
  epochInfoCommand,
  blockInfoCommand,
  verifyDualCommitmentCommand,
  verifyChainCommand,
  importCommand,
  // The drift radar (issue 7).
  driftInjectCommand,
  driftEventsCommand,
  driftAckCommand,
  driftResolveCommand,
  driftSilenceCommand,
  radarCommand,
  // Export and backup (issue 10).
  exportCommand,
  // Governance (issue 8): offline keys, signing and recount; online actions and reads.
  ...[
  governanceKeygenCommand,
  governancePubkeyCommand,
  governanceSignCommand,
  governanceRecountCommand,
  governanceProposeCommand,
  governanceReviewCommand,
  governanceVoteCommand,
  governanceSubmitCommand,
  governanceAttestationCreateCommand,
  governanceAttestCommand,
  governanceEmergencyDeclareCommand,
  governanceEmergencySignCommand,
  governanceRollbackCommand,
  governanceShowCommand,
  governanceTallyCommand,
  governanceExportCommand,
  governanceVerifyLogCommand,
  ].map(withReasonCodes),
];

export interface CommandMatch {
  command: AnyCommand;
  /** How many leading words of the command line named it. */
  words: number;
}

/**
 * The command named by the leading `words` of a command line (the tokens before the first flag).
 * Throws AppError("UNKNOWN_COMMAND") naming what was typed, with a suggestion or the group's subcommands.
 */
export function findCommand(words: readonly string[], commands: readonly AnyCommand[] = COMMANDS): CommandMatch {
  for (let n = Math.min(words.length, 3); n >= 1; n--) {
    const name = words.slice(0, n).join(" ");
    const command = commands.find((c) => c.name === name);
    if (command) return { command, words: n };
  }
  const typed = words[0] ?? "";
  const group = commands.filter((c) => c.name.startsWith(typed + " "));
  if (group.length > 0) {
    const given = words.length > 1 ? `unknown subcommand ${describeValue(words.slice(0, 2).join(" "))}` : `${describeValue(typed)} needs a subcommand`;
    throw new AppError("UNKNOWN_COMMAND", `${given} (one of: ${group.map((c) => c.name).join(", ")})`);
  }
  const near = closest(typed, commands.map((c) => c.name));
  throw new AppError("UNKNOWN_COMMAND", `unknown command ${describeValue(typed)}${near ? ` (did you mean ${near}?)` : ""}`);
}
