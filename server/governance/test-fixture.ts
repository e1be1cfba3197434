/**
 * A governance test database: migrated, the devnet epoch registry (dual activation at block 5), a few devnet
 * blocks, and the deterministic test genesis (lib/governance/test-members.ts). `sign` hands out per-signer
 * increasing nonces so each test can sign freely.
 */
import type pg from "pg";
import { createPgPool } from "../db/pg-pool";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { ensureEpochRegistry } from "../chain/epoch-registry";
import { produceDevnetBlock } from "../devnet/devnet-producer";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { MessageType } from "../../lib/governance/bodies";
import type { SignedEnvelope } from "../../lib/governance/envelope";
import type { MessageDraft } from "../../lib/governance/message";
import type { Genesis } from "../../lib/governance/members";
import { signAs, testGenesis } from "../../lib/governance/test-members";
import { seedGovernance } from "./governance-store";

export const T0 = 1_800_000_000;

export interface GovernanceFixture {
  db: TestDatabase;
  pool: pg.Pool;
  sign<T extends MessageType>(signer: string, draft: MessageDraft<T>, options?: { issuedAt?: number; ttl?: number; nonce?: number }): SignedEnvelope<T>;
  produceBlocks(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function createGovernanceFixture(options: { blocks?: number; poolMax?: number; genesis?: Genesis } = {}): Promise<GovernanceFixture> {
  const db = await createTestDatabase();
  const pool = createPgPool(db.url, options.poolMax ?? 5);
  await ensureEpochRegistry(pool, { genesisTimestamp: T0 - 1000, dualActivationBlock: 5 });
  await seedGovernance(pool, options.genesis ?? testGenesis());
  const suite = await loadWasmHashSuite();
  let blockTime = T0 - 500;
  const produceBlocks = async (n: number) => {
    for (let i = 0; i < n; i++) await produceDevnetBlock(pool, { suite, holder: "test", intervalMs: 1000, seed: 1, now: () => (blockTime += 1) * 1000 });
  };
  await produceBlocks(options.blocks ?? 3);
  const nonces = new Map<string, number>();
  return {
    db,
    pool,
    sign: (signer, draft, o = {}) => {
      const nonce = o.nonce ?? (nonces.get(signer) ?? 0) + 1;
      nonces.set(signer, Math.max(nonce, nonces.get(signer) ?? 0));
      return signAs(signer, draft, { nonce, issuedAt: o.issuedAt ?? T0, ttl: o.ttl ?? 3600 });
    },
    produceBlocks,
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}
