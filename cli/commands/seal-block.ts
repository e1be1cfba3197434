/**
 * `mathledger-cli seal-block`: builds the next block from a statements file under the rules of its epoch
 * (lib/consensus/seal-block.ts), and prints it as block JSON, ready to be the --prev-file of the block after it.
 */
import { AppError } from "../../lib/errors";
import { blockToJson } from "../../lib/consensus/block";
import { sealBlock } from "../../lib/consensus/seal-block";
import { usageError } from "../args/parse-args";
import { defineCommand } from "../command";
import { readEpochsFile, readPredecessorFile, readStatementsFile } from "../inputs/block-files";
import { formatJson } from "../output";

const NAME = "seal-block";

export const sealBlockCommand = defineCommand({
  name: NAME,
  summary: "seal a block from a statements file and print it as JSON",
  description:
    "Seals a block holding the statements of --statements-file (UTF-8, one statement per line), with the fields, " +
    "hashes and links that the rule version of the block's epoch (from --epochs) requires. Give --genesis for " +
    "block 0, or --prev-file with the predecessor block (the new block links to its hashes). The block number " +
    "defaults to the predecessor's plus one (0 for genesis); the timestamp defaults to now (Unix seconds) and may " +
    "not be earlier than the predecessor's. In a v1.5-pq-optional epoch the optional PQ fields are included. The " +
    "block is printed as JSON (the same with or without --json).",
  synopsis: "--epochs FILE --statements-file FILE (--genesis | --prev-file FILE) [--block-number N] [--timestamp T]",
  flags: {
    epochs: { kind: "string", value: "FILE", required: true, description: "the epoch registry (a JSON array of epochs)" },
    "statements-file": { kind: "string", value: "FILE", required: true, description: "the statements, UTF-8, one per line" },
    genesis: { kind: "boolean", description: "seal the genesis block (block 0, all-zero prev-hashes)" },
    "prev-file": { kind: "string", value: "FILE", description: "the predecessor block (JSON) to link to" },
    "block-number": { kind: "integer", value: "N", description: "the block number (must be the predecessor's + 1, or 0 for genesis)" },
    timestamp: { kind: "integer", value: "T", description: "Unix seconds (default: now; not earlier than the predecessor's)" },
  },
  examples: [
    "mathledger-cli seal-block --epochs epochs.json --statements-file s0.txt --genesis > block-0.json",
    "mathledger-cli seal-block --epochs epochs.json --statements-file s1.txt --prev-file block-0.json --timestamp 1750000060 > block-1.json",
  ],
  async run(flags, context) {
    if (flags.genesis === (flags["prev-file"] !== undefined)) {
      throw usageError(NAME, flags.genesis ? "give either --genesis or --prev-file FILE, not both" : "give --genesis (for block 0) or --prev-file FILE (the predecessor)");
    }
    const statements = await readStatementsFile(flags["statements-file"], context.cwd);
    const epochs = await readEpochsFile(flags.epochs, context.cwd);
    const prev = flags["prev-file"] === undefined ? null : await readPredecessorFile(flags["prev-file"], context.cwd);
    const now = context.now();
    if (flags.timestamp === undefined && prev && now < prev.timestamp) {
      throw new AppError("INVALID_TIMESTAMP", `the current time ${now} is earlier than the predecessor's timestamp ${prev.timestamp}; give --timestamp T with T >= ${prev.timestamp}`);
    }
    const block = sealBlock({
      statements,
      epochs,
      prev,
      blockNumber: flags["block-number"],
      timestamp: flags.timestamp ?? now,
      suite: await context.hashSuite(),
    });
    const json = blockToJson(block);
    return { outcome: "ok", json, text: formatJson(json) };
  },
});
