/**
 * Which governance genesis a node runs with, decided once at start (scripts/start.ts, the worker, the CLI):
 *   1. MATHLEDGER_GOVERNANCE_GENESIS names a genesis file: it is read, validated and stored (a database that already
 *      holds a different genesis refuses to start);
 *   2. else a database that already holds a genesis keeps it;
 *   3. else, on a devnet, a demo genesis is generated (7 council members, 3 reviewers, 2 proposers, 10 voters and an
 *      operator) with
 *      each member's key file in <data dir>/devnet-keys/<member id>.key, all under one random passphrase kept in
 *      <data dir>/devnet-keys/PASSPHRASE (mode 0600) and printed in the start banner. Demo keys use scrypt N = 2^15
 *      and node:crypto's scrypt for a fast first start (they guard nothing of value); `governance keygen` and the
 *      browser use 2^17.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { generateSigningKey } from "../../lib/governance/hybrid-keys";
import { encryptKeyFile } from "../../lib/governance/key-file";
import { parseGenesis, type Genesis, type Member, type Role } from "../../lib/governance/members";
import { hasGovernance, seedGovernance } from "./governance-store";
import { nodeScrypt } from "./node-scrypt";

export const DEMO_NETWORK_ID = "mathledger-devnet";
export const DEMO_SCRYPT = { n: 2 ** 15, r: 8, p: 1 };

export interface GenesisSetup {
  source: "file" | "database" | "demo" | "none";
  networkId: string | null;
  /** Set for the demo genesis: where the key files are and their passphrase. */
  demo?: { keysDir: string; passphrase: string };
}

const random = (n: number) => new Uint8Array(randomBytes(n));

/** Reads and validates a genesis file; throws AppError("INVALID_GENESIS") naming the file and the problem. */
export function readGenesisFile(file: string): Genesis {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new AppError("INVALID_GENESIS", `cannot read the governance genesis ${file}: ${(error as Error).message}`);
  }
  return parseGenesis(json);
}

/**
 * The demo members: ids, names and roles as the issue lists them (council members also vote), plus one operator
 * (`linus`), who may acknowledge, resolve and silence drift events once signed in (server/drift/operator-auth.ts).
 */
function demoRoster(): { id: string; name: string; roles: Role[]; voting_power: number }[] {
  const council = ["ada", "grace", "alan", "barbara", "edsger", "frances", "donald"];
  const reviewers = ["radia", "leslie", "tony"];
  const proposers = ["margaret", "ken"];
  const operators = ["linus"];
  const voters = ["voter-01", "voter-02", "voter-03", "voter-04", "voter-05", "voter-06", "voter-07", "voter-08", "voter-09", "voter-10"];
  const title = (id: string) => id[0].toUpperCase() + id.slice(1).replace("-", " ");
  return [
    ...council.map((id) => ({ id, name: title(id), roles: ["council", "voter"] as Role[], voting_power: 10 })),
    ...reviewers.map((id) => ({ id, name: title(id), roles: ["reviewer"] as Role[], voting_power: 0 })),
    ...proposers.map((id) => ({ id, name: title(id), roles: ["proposer"] as Role[], voting_power: 0 })),
    ...voters.map((id, i) => ({ id, name: title(id), roles: ["voter"] as Role[], voting_power: i + 1 })),
    ...operators.map((id) => ({ id, name: title(id), roles: ["operator"] as Role[], voting_power: 0 })),
  ];
}

/** Generates the demo genesis and its key files into `keysDir`. */
export async function writeDemoGenesis(keysDir: string, params = { voting_period_seconds: 600, activation_lead_blocks: 100, attestation_period_seconds: 3600 }): Promise<{ genesis: Genesis; passphrase: string }> {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(12).toString("base64url");
  const members: Member[] = [];
  for (const m of demoRoster()) {
    const key = generateSigningKey(random);
    const file = await encryptKeyFile(key, passphrase, { memberId: m.id, randomBytes: random, scrypt: DEMO_SCRYPT, scryptFunction: nodeScrypt });
    writeFileSync(path.join(keysDir, `${m.id}.key`), JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
    members.push({ ...m, keys: key.publicKeys });
  }
  const genesis = parseGenesis({ network_id: DEMO_NETWORK_ID, params, members });
  writeFileSync(path.join(keysDir, "genesis.json"), JSON.stringify(genesis, null, 2) + "\n", { mode: 0o600 });
  writeFileSync(path.join(keysDir, "PASSPHRASE"), passphrase + "\n", { mode: 0o600 });
  return { genesis, passphrase };
}

export interface SetupOptions {
  env?: Record<string, string | undefined>;
  dataDir: string;
  /** Generate the demo genesis when nothing else is configured (devnet on). */
  demo: boolean;
}

export async function ensureGovernanceGenesis(pool: pg.Pool, options: SetupOptions): Promise<GenesisSetup> {
  const env = options.env ?? process.env;
  const keysDir = path.join(options.dataDir, "devnet-keys");
  const demoInfo = () => {
    const file = path.join(keysDir, "PASSPHRASE");
    return existsSync(file) ? { keysDir, passphrase: readFileSync(file, "utf8").trim() } : undefined;
  };
  if (env.MATHLEDGER_GOVERNANCE_GENESIS) {
    const registry = await seedGovernance(pool, readGenesisFile(path.resolve(env.MATHLEDGER_GOVERNANCE_GENESIS)));
    return { source: "file", networkId: registry.networkId };
  }
  if (await hasGovernance(pool)) {
    const { rows } = await pool.query<{ network_id: string }>("SELECT network_id FROM governance_config WHERE id = 1");
    return { source: "database", networkId: rows[0].network_id, demo: demoInfo() };
  }
  if (!options.demo) return { source: "none", networkId: null };
  // A previous start may have written the files and then failed before seeding: reuse them rather than orphan them.
  const existing = path.join(keysDir, "genesis.json");
  const { genesis, passphrase } = existsSync(existing) && demoInfo() ? { genesis: readGenesisFile(existing), passphrase: demoInfo()!.passphrase } : await writeDemoGenesis(keysDir);
  await seedGovernance(pool, genesis);
  return { source: "demo", networkId: genesis.network_id, demo: { keysDir, passphrase } };
}
