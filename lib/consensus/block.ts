/**
 * Blocks: the JSON shape, the canonical binary encodings, and the hashes derived from them.
 *
 * Specified in docs/spec/consensus.md §3 (statements), §4 (headers, block hashes, dual commitment). In short:
 *
 *   leaf data       = UTF-8(statement)                       (no normalisation: the bytes are the statement)
 *   header bytes    = 0x01 (encoding version)
 *                     || u64be(block_number) || u64be(timestamp)
 *                     || opt32(prev_hash) || opt32(merkle_root)
 *                     || opt8(pq_algorithm) || opt32(pq_prev_hash) || opt32(pq_merkle_root)
 *                     || opt32(dual_commitment)
 *                     where optN(x) = 0x00 if x is absent, else 0x01 || x (N bytes)
 *   block hash(A)   = A(0x02 || header bytes)                 for any registered algorithm A
 *   dual commitment = P(0x03 || 0x00 || merkle_root || p || pq_merkle_root)   P = the PQ algorithm with id p
 *   content id      = SHA-256(0x04 || header bytes || u32be(n) || (u32be(len) || UTF-8(statement))*)
 *
 * The first byte of every hashed input names its domain: 0x00 leaf, 0x01 inner node (RFC 9162), 0x02 header,
 * 0x03 dual commitment, 0x04 content id. So a header hash or a dual commitment can never equal a leaf or node hash
 * of the same algorithm without a hash collision.
 *
 * Every block has a hash under every algorithm (Git's hash transition does the same for objects), which is what lets
 * the first dual or PQ-only block link to a predecessor that never carried PQ fields.
 */
import { AppError } from "../errors";
import { fromHex, toHex } from "../encoding/hex";
import { SHA256_ID, type HashAlgorithm, type HashSuite, type PackedLeaves } from "../crypto/hash-algorithms";

/** A block as it appears in JSON (snake_case, as in the plan). Absent fields are null. */
export interface Block {
  block_number: number;
  /** Unix time in whole seconds. */
  timestamp: number;
  prev_hash: string | null;
  merkle_root: string | null;
  pq_algorithm: number | null;
  pq_prev_hash: string | null;
  pq_merkle_root: string | null;
  dual_commitment: string | null;
  statements: string[];
}

export const HASH_FIELDS = ["prev_hash", "merkle_root", "pq_prev_hash", "pq_merkle_root", "dual_commitment"] as const;
export type HashField = (typeof HASH_FIELDS)[number];
export const LEGACY_FIELDS = ["prev_hash", "merkle_root"] as const;
export const PQ_FIELDS = ["pq_algorithm", "pq_prev_hash", "pq_merkle_root"] as const;
export const BLOCK_FIELDS = [
  "block_number",
  "timestamp",
  "prev_hash",
  "merkle_root",
  "pq_algorithm",
  "pq_prev_hash",
  "pq_merkle_root",
  "dual_commitment",
  "statements",
] as const;
export type BlockField = (typeof BLOCK_FIELDS)[number];

/** The prev-hash of block 0 on every chain: 32 zero bytes. */
export const GENESIS_PREV_HASH = "0x" + "00".repeat(32);

export const HEADER_ENCODING_VERSION = 0x01;
const DOMAIN_HEADER = 0x02;
const DOMAIN_DUAL_COMMITMENT = 0x03;
const DOMAIN_CONTENT_ID = 0x04;

const utf8 = new TextEncoder();

const nativeIsWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** True when the string is well-formed Unicode (no lone surrogates), i.e. has exactly one UTF-8 encoding. */
export function isWellFormedText(text: string): boolean {
  // A lone surrogate would be replaced by U+FFFD when encoded, so two different strings would share leaf data.
  // String.prototype.isWellFormed (ES2024) does this natively where it exists (Node 20, current browsers).
  if (nativeIsWellFormed) return nativeIsWellFormed.call(text);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** The Merkle leaf data of a statement: its UTF-8 bytes, unchanged. */
export function encodeStatement(statement: string): Uint8Array {
  return utf8.encode(statement);
}

/** Leaf data of a statement list, encoded once and shared by both trees of a dual block. */
export interface EncodedLeaves {
  /** UTF-8 bytes of each statement (the leaf data). */
  readonly data: Uint8Array[];
  /** 0x00 || data of each statement: the exact RFC 9162 leaf-hash input, so a leaf hash is one digest call. */
  readonly prefixed: Uint8Array[];
  /** The same inputs as one buffer and count + 1 offsets, for whole-tree routines (HashAlgorithm.merkleRoot). */
  readonly packed: PackedLeaves;
}

/**
 * Encodes every statement into one shared buffer, each preceded by the 0x00 leaf prefix. One allocation for the
 * whole list instead of one per statement, and the per-statement views made only when a caller asks for them: a whole-tree routine needs just the
 * buffer and offsets. Encoding was 14%, then 19%, of validating a 1000-statement block (npm run bench); a JS UTF-8
 * encoder and an ASCII fast path were both measured slower than encodeInto here.
 */
export function encodeLeaves(statements: readonly string[]): EncodedLeaves {
  let capacity = 0;
  for (const s of statements) capacity += 1 + s.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
  const buffer = new Uint8Array(capacity);
  const offsets = new Uint32Array(statements.length + 1);
  let offset = 0;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    offsets[i] = offset;
    buffer[offset] = 0x00;
    const start = offset + 1;
    offset = start + utf8.encodeInto(s, buffer.subarray(start)).written;
  }
  offsets[statements.length] = offset;
  const view = (i: number, skip: number) => buffer.subarray(offsets[i] + skip, offsets[i + 1]);
  let data: Uint8Array[] | undefined;
  let prefixed: Uint8Array[] | undefined;
  return {
    get data() {
      return (data ??= Array.from(statements, (_, i) => view(i, 1)));
    },
    get prefixed() {
      return (prefixed ??= Array.from(statements, (_, i) => view(i, 0)));
    },
    packed: { bytes: buffer, offsets },
  };
}

/** The leaf data of every statement (views into one buffer). */
export function encodeStatements(statements: readonly string[]): Uint8Array[] {
  return encodeLeaves(statements).data;
}

/** Block fields that go into the header (everything but the statements). */
export type BlockHeader = Omit<Block, "statements">;

/** The canonical header bytes (see the module comment). Hash fields must already be valid 32-byte hex. */
export function encodeHeader(header: BlockHeader): Uint8Array {
  const out = new Uint8Array(1 + 8 + 8 + 5 * 33 + 2);
  const view = new DataView(out.buffer);
  let o = 0;
  out[o++] = HEADER_ENCODING_VERSION;
  view.setBigUint64(o, BigInt(header.block_number));
  o += 8;
  view.setBigUint64(o, BigInt(header.timestamp));
  o += 8;
  const put32 = (hex: string | null) => {
    if (hex === null) {
      out[o++] = 0;
      return;
    }
    out[o++] = 1;
    out.set(fromHex(hex, 32), o);
    o += 32;
  };
  put32(header.prev_hash);
  put32(header.merkle_root);
  if (header.pq_algorithm === null) {
    out[o++] = 0;
  } else {
    if (!Number.isInteger(header.pq_algorithm) || header.pq_algorithm < 0 || header.pq_algorithm > 255) {
      throw new AppError("MALFORMED_FIELD", `pq_algorithm must be an integer 0..255 to be encoded, got ${header.pq_algorithm}`);
    }
    out[o++] = 1;
    out[o++] = header.pq_algorithm;
  }
  put32(header.pq_prev_hash);
  put32(header.pq_merkle_root);
  put32(header.dual_commitment);
  return out.slice(0, o);
}

const HEADER_PREFIX = new Uint8Array([DOMAIN_HEADER]);

/** The hash of a block under algorithm `alg`: alg(0x02 || header bytes). */
export function blockHash(header: BlockHeader, alg: HashAlgorithm): string {
  return toHex(alg.digest(HEADER_PREFIX, encodeHeader(header)));
}

/** The block hash under several algorithms, encoding the header once (a link check needs two of them). */
export function blockHashes(header: BlockHeader, algs: readonly HashAlgorithm[]): string[] {
  const bytes = encodeHeader(header);
  return algs.map((alg) => toHex(alg.digest(HEADER_PREFIX, bytes)));
}

/** The block's legacy (SHA-256) hash, the value its successor's prev_hash must carry. */
export function legacyBlockHash(header: BlockHeader, suite: HashSuite): string {
  return blockHash(header, suite.get(SHA256_ID));
}

/**
 * The dual commitment over a legacy (SHA-256) root and a PQ root, hashed with the PQ algorithm:
 * P(0x03 || 0x00 || legacyRoot || pqAlg.id || pqRoot). Binding both algorithm ids means a commitment made for one PQ
 * algorithm can never be replayed as one for another.
 */
export function dualCommitment(pqAlg: HashAlgorithm, legacyRoot: string, pqRoot: string): string {
  return toHex(
    pqAlg.digest(
      new Uint8Array([DOMAIN_DUAL_COMMITMENT, SHA256_ID]),
      fromHex(legacyRoot, 32),
      new Uint8Array([pqAlg.id]),
      fromHex(pqRoot, 32),
    ),
  );
}

/** The canonical bytes of a whole block (header, then length-prefixed statements): what storage overhead measures. */
export function encodeBlock(block: Block): Uint8Array {
  const header = encodeHeader(block);
  // One buffer, statements encoded straight into place (encodeInto) rather than one array per statement.
  let capacity = header.length + 4;
  for (const s of block.statements) capacity += 4 + s.length * 3;
  const out = new Uint8Array(capacity);
  const view = new DataView(out.buffer);
  out.set(header, 0);
  let o = header.length;
  view.setUint32(o, block.statements.length);
  o += 4;
  for (const s of block.statements) {
    const { written } = utf8.encodeInto(s, out.subarray(o + 4));
    view.setUint32(o, written);
    o += 4 + written;
  }
  return out.subarray(0, o);
}

/**
 * A content id for storage: SHA-256 over the whole block (header and statements), so two blocks with the same header
 * but different statements (one of them corrupted) are stored as two rows, and the same block twice as one.
 */
export function blockContentId(block: Block, suite: HashSuite): string {
  return toHex(suite.get(SHA256_ID).digest(new Uint8Array([DOMAIN_CONTENT_ID]), encodeBlock(block)));
}

/** Returns the block as plain JSON with every field present (absent ones as null), in the canonical field order. */
export function blockToJson(block: Block): Block {
  return {
    block_number: block.block_number,
    timestamp: block.timestamp,
    prev_hash: block.prev_hash,
    merkle_root: block.merkle_root,
    pq_algorithm: block.pq_algorithm,
    pq_prev_hash: block.pq_prev_hash,
    pq_merkle_root: block.pq_merkle_root,
    dual_commitment: block.dual_commitment,
    statements: [...block.statements],
  };
}
