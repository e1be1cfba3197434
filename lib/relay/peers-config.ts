/**
 * The relay's peer list (MATHLEDGER_PEERS names a JSON file holding it) and this node's id (MATHLEDGER_NODE_ID):
 *
 *   { "peers": [ { "id": "node-2", "url": "http://10.77.0.3:3000", "token": "${NODE2_TOKEN}" } ] }
 *
 * `token` is the peer's node token (the one its POST /api/v1/blocks accepts); `${NAME}` in any string is read from the
 * environment (secrets stay out of the file), as in the drift radar's configuration. Every problem is an
 * AppError("CONFIG") naming the key, so a bad file stops the process at start-up. Pure: the caller reads the file.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { expandEnvReferences } from "../config/env-references";

/** A node id: what peers call this node, in logs, metrics labels and the X-MathLedger-Relay-From header. */
export const NODE_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const nodeIdSchema = z.string().regex(NODE_ID_PATTERN, "must be 1 to 64 lowercase letters, digits or '-'");

/** The header a relaying node sends with its id, so the receiver does not send the item back to it. */
export const RELAY_FROM_HEADER = "x-mathledger-relay-from";

export interface RelayPeer {
  id: string;
  /** Base URL of the peer's portal (scheme, host, port; no trailing slash). */
  url: string;
  token: string;
}

export interface PeersConfig {
  peers: RelayPeer[];
}

export const NO_PEERS: PeersConfig = { peers: [] };

const peerSchema = z
  .object({
    id: nodeIdSchema,
    url: z
      .string()
      .refine((s) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(s) && URL.canParse(s), "must be an http(s) URL such as http://10.77.0.3:3000")
      .transform((s) => s.replace(/\/+$/, "")),
    token: z.string().min(16, "must be the peer's node token (at least 16 characters)"),
  })
  .strict();

const fileSchema = z
  .object({ peers: z.array(peerSchema, { error: 'must be an array of {"id", "url", "token"} objects' }).max(64, "at most 64 peers") })
  .strict();

function fail(path: (string | number)[], message: string): never {
  throw new AppError("CONFIG", `peers: ${path.length ? path.join(".") : "(top level)"}: ${message}`);
}

/** Validates a parsed peers document; `selfId` is this node's id (a peer may not be the node itself). */
export function parsePeersConfig(doc: unknown, env: Record<string, string | undefined>, selfId: string): PeersConfig {
  if (doc === null || doc === undefined) fail([], "the file is empty");
  const expanded = expandEnvReferences(doc, env, "peers");
  const parsed = fileSchema.safeParse(expanded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(issue.path as (string | number)[], issue.message);
  }
  const seen = new Set<string>();
  parsed.data.peers.forEach((peer, i) => {
    if (peer.id === selfId) fail(["peers", i, "id"], `"${peer.id}" is this node's own id (MATHLEDGER_NODE_ID)`);
    if (seen.has(peer.id)) fail(["peers", i, "id"], `"${peer.id}" is listed twice`);
    seen.add(peer.id);
  });
  return { peers: parsed.data.peers };
}
