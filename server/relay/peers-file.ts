/**
 * Reads the relay's peer list from the JSON file named by MATHLEDGER_PEERS (lib/relay/peers-config.ts says what it
 * holds). No variable: no peers, the node works alone as before. A file that cannot be read or parsed, or holds a bad
 * key, throws AppError("CONFIG") naming the file and the key, which stops the process at start-up.
 */
import { readFileSync } from "node:fs";
import { AppError, isAppError } from "../../lib/errors";
import { NO_PEERS, parsePeersConfig, type PeersConfig } from "../../lib/relay/peers-config";
import { nodeId, readConfig } from "../config";

export function loadPeersConfig(env: Record<string, string | undefined> = process.env): PeersConfig {
  const file = env.MATHLEDGER_PEERS;
  if (!file) return NO_PEERS;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new AppError("CONFIG", `MATHLEDGER_PEERS: cannot read ${file}: ${(error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new AppError("CONFIG", `MATHLEDGER_PEERS: ${file}: not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parsePeersConfig(doc, env, nodeId(readConfig(env)));
  } catch (error) {
    if (isAppError(error)) throw new AppError("CONFIG", `MATHLEDGER_PEERS: ${file}: ${error.message}`);
    throw error;
  }
}
