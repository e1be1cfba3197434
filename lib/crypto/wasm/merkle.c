/*
 * Whole-tree Merkle hashing in one WebAssembly call: RFC 9162 §2.1 trees (leaves HASH(0x00 || d), nodes
 * HASH(0x01 || left || right), the odd last node of a level carried up unchanged) under SHA-256 (FIPS 180-4),
 * SHA3-256 (FIPS 202) and BLAKE3 (the BLAKE3 paper/spec, 32-byte output), as docs/spec/consensus.md §2.2 defines them.
 *
 * Why: a 1000-statement block is about 2,000 leaf and 2,000 node hashes of 65-120 bytes per tree. Made one JS call at a
 * time, each pays about 1 µs of call and copy overhead, several times the hashing itself. Here the caller copies all
 * leaves into linear memory once (the 0x00 prefix already in place, as lib/consensus/block.ts encodeLeaves lays them
 * out), and one call returns the root, with every level kept in the scratch area for callers that build proofs.
 *
 * Freestanding C, no libc: built by scripts/wasm/build-merkle.sh (clang --target=wasm32 -nostdlib). The built module
 * lib/crypto/wasm/merkle.wasm is committed; lib/crypto/wasm/merkle-wasm.test.ts checks it matches this source.
 * Every algorithm is cross-checked against @noble/hashes (golden vectors and random trees) in the tests.
 */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long size_t;

#define EXPORT(name) __attribute__((export_name(name)))

/* clang may lower struct copies and loops to these; no libc supplies them here. */
void *memcpy(void *dst, const void *src, size_t n) {
  u8 *d = (u8 *)dst;
  const u8 *s = (const u8 *)src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  u8 *d = (u8 *)dst;
  while (n--) *d++ = (u8)c;
  return dst;
}

static inline u32 load32_be(const u8 *p) { return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3]; }
static inline void store32_be(u8 *p, u32 v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static inline u32 load32_le(const u8 *p) { return p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24); }
static inline void store32_le(u8 *p, u32 v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
static inline u64 load64_le(const u8 *p) { return (u64)load32_le(p) | ((u64)load32_le(p + 4) << 32); }
static inline void store64_le(u8 *p, u64 v) { store32_le(p, (u32)v); store32_le(p + 4, (u32)(v >> 32)); }
static inline u32 rotr32(u32 x, int n) { return (x >> n) | (x << (32 - n)); }
static inline u64 rotl64(u64 x, int n) { return (x << n) | (x >> ((64 - n) & 63)); }

/* ---------------------------------------------------------------- SHA-256, FIPS 180-4 §6.2 */

static const u32 K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
    0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
    0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static void sha256_compress(u32 *state, const u8 *block) {
  u32 w[64];
  for (int i = 0; i < 16; i++) w[i] = load32_be(block + 4 * i);
  for (int i = 16; i < 64; i++) {
    u32 s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
    u32 s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  u32 a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    u32 t1 = h + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
    u32 t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

/* SHA-256 of `len` bytes at `in` (one contiguous input: leaves and nodes both are). */
static void sha256(const u8 *in, u32 len, u8 *out) {
  u32 state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  u32 done = 0;
  for (; len - done >= 64; done += 64) sha256_compress(state, in + done);
  u8 tail[128];
  u32 rest = len - done;
  for (u32 i = 0; i < rest; i++) tail[i] = in[done + i];
  tail[rest] = 0x80;
  u32 padded = rest + 9 <= 64 ? 64 : 128;
  for (u32 i = rest + 1; i < padded - 8; i++) tail[i] = 0;
  u64 bits = (u64)len * 8;
  for (int i = 0; i < 8; i++) tail[padded - 1 - i] = (u8)(bits >> (8 * i));
  sha256_compress(state, tail);
  if (padded == 128) sha256_compress(state, tail + 64);
  for (int i = 0; i < 8; i++) store32_be(out + 4 * i, state[i]);
}

/*
 * Four SHA-256 computations side by side in WebAssembly's 128-bit SIMD (one message per 32-bit lane). A tree has
 * thousands of independent small messages per level, so this is where the per-core throughput comes from; the
 * scalar sha256 above handles the odd ones out.
 */
#include <wasm_simd128.h>

typedef v128_t v;
#define ROTR4(x, n) wasm_v128_or(wasm_u32x4_shr((x), (n)), wasm_i32x4_shl((x), 32 - (n)))

/* Compresses one 64-byte block per lane: block[l] is lane l's block. */
static void sha256_compress_x4(v *state, const u8 *const *block) {
  v w[64];
  for (int i = 0; i < 16; i++) {
    w[i] = wasm_i32x4_make((int)load32_be(block[0] + 4 * i), (int)load32_be(block[1] + 4 * i), (int)load32_be(block[2] + 4 * i),
                           (int)load32_be(block[3] + 4 * i));
  }
  for (int i = 16; i < 64; i++) {
    v s0 = wasm_v128_xor(wasm_v128_xor(ROTR4(w[i - 15], 7), ROTR4(w[i - 15], 18)), wasm_u32x4_shr(w[i - 15], 3));
    v s1 = wasm_v128_xor(wasm_v128_xor(ROTR4(w[i - 2], 17), ROTR4(w[i - 2], 19)), wasm_u32x4_shr(w[i - 2], 10));
    w[i] = wasm_i32x4_add(wasm_i32x4_add(w[i - 16], s0), wasm_i32x4_add(w[i - 7], s1));
  }
  v a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    v ch = wasm_v128_xor(wasm_v128_and(e, f), wasm_v128_andnot(g, e));
    v t1 = wasm_i32x4_add(wasm_i32x4_add(h, wasm_v128_xor(wasm_v128_xor(ROTR4(e, 6), ROTR4(e, 11)), ROTR4(e, 25))),
                          wasm_i32x4_add(ch, wasm_i32x4_add(wasm_i32x4_splat((int)K256[i]), w[i])));
    v maj = wasm_v128_or(wasm_v128_and(a, b), wasm_v128_and(c, wasm_v128_or(a, b)));
    v t2 = wasm_i32x4_add(wasm_v128_xor(wasm_v128_xor(ROTR4(a, 2), ROTR4(a, 13)), ROTR4(a, 22)), maj);
    h = g; g = f; f = e; e = wasm_i32x4_add(d, t1); d = c; c = b; b = a; a = wasm_i32x4_add(t1, t2);
  }
  state[0] = wasm_i32x4_add(state[0], a); state[1] = wasm_i32x4_add(state[1], b);
  state[2] = wasm_i32x4_add(state[2], c); state[3] = wasm_i32x4_add(state[3], d);
  state[4] = wasm_i32x4_add(state[4], e); state[5] = wasm_i32x4_add(state[5], f);
  state[6] = wasm_i32x4_add(state[6], g); state[7] = wasm_i32x4_add(state[7], h);
}

static const u32 SHA256_IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* The padded final blocks of a message of `len` bytes: its last (len % 64) bytes, 0x80, zeros, the bit length. */
static u32 sha256_tail(const u8 *in, u32 len, u8 *tail) {
  u32 full = len / 64, rest = len - 64 * full;
  for (u32 i = 0; i < rest; i++) tail[i] = in[64 * full + i];
  tail[rest] = 0x80;
  u32 padded = rest + 9 <= 64 ? 64 : 128;
  for (u32 i = rest + 1; i < padded - 8; i++) tail[i] = 0;
  u64 bits = (u64)len * 8;
  for (int i = 0; i < 8; i++) tail[padded - 1 - i] = (u8)(bits >> (8 * i));
  return full + padded / 64;
}

/* The number of compressions SHA-256 needs for `len` bytes. */
static inline u32 sha256_blocks(u32 len) { return (len + 9 + 63) / 64; }

/* SHA-256 of four messages that need the same number of blocks, digests to out[l]. */
static void sha256_x4(const u8 *const *in, const u32 *len, u8 *const *out) {
  u8 tails[4][128];
  u32 full[4];
  u32 blocks = 0;
  for (int l = 0; l < 4; l++) {
    full[l] = len[l] / 64;
    blocks = sha256_tail(in[l], len[l], tails[l]);
  }
  v state[8];
  for (int i = 0; i < 8; i++) state[i] = wasm_i32x4_splat((int)SHA256_IV[i]);
  for (u32 j = 0; j < blocks; j++) {
    const u8 *block[4];
    for (int l = 0; l < 4; l++) block[l] = j < full[l] ? in[l] + 64 * j : tails[l] + 64 * (j - full[l]);
    sha256_compress_x4(state, block);
  }
  u32 words[4];
  for (int i = 0; i < 8; i++) {
    wasm_v128_store(words, state[i]);
    for (int l = 0; l < 4; l++) store32_be(out[l] + 4 * i, words[l]);
  }
}

/* ---------------------------------------------------------------- SHA3-256, FIPS 202 (Keccak-f[1600], rate 136) */

static const u64 KECCAK_RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL, 0x000000000000808bULL,
    0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL, 0x0000000000000088ULL,
    0x0000000080008009ULL, 0x000000008000000aULL, 0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
    0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

/* One Keccak-f[1600] permutation, FIPS 202 §3.3 (theta, rho, pi, chi, iota), with the 25 lanes in locals. */
static void keccak_f1600(u64 *s) {
  u64 a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
  u64 a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
  u64 a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
  u64 a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
  u64 a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
  for (int round = 0; round < 24; round++) {
    /* theta */
    u64 c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20, c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21, c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
    u64 c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23, c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
    u64 d0 = c4 ^ rotl64(c1, 1), d1 = c0 ^ rotl64(c2, 1), d2 = c1 ^ rotl64(c3, 1), d3 = c2 ^ rotl64(c4, 1), d4 = c3 ^ rotl64(c0, 1);
    a00 ^= d0; a05 ^= d0; a10 ^= d0; a15 ^= d0; a20 ^= d0;
    a01 ^= d1; a06 ^= d1; a11 ^= d1; a16 ^= d1; a21 ^= d1;
    a02 ^= d2; a07 ^= d2; a12 ^= d2; a17 ^= d2; a22 ^= d2;
    a03 ^= d3; a08 ^= d3; a13 ^= d3; a18 ^= d3; a23 ^= d3;
    a04 ^= d4; a09 ^= d4; a14 ^= d4; a19 ^= d4; a24 ^= d4;
    /* rho and pi: B[y][2x+3y] = rot(A[x][y], r[x][y]); lane index = x + 5y */
    u64 b00 = a00;
    u64 b10 = rotl64(a01, 1);
    u64 b20 = rotl64(a02, 62);
    u64 b05 = rotl64(a03, 28);
    u64 b15 = rotl64(a04, 27);
    u64 b16 = rotl64(a05, 36);
    u64 b01 = rotl64(a06, 44);
    u64 b11 = rotl64(a07, 6);
    u64 b21 = rotl64(a08, 55);
    u64 b06 = rotl64(a09, 20);
    u64 b07 = rotl64(a10, 3);
    u64 b17 = rotl64(a11, 10);
    u64 b02 = rotl64(a12, 43);
    u64 b12 = rotl64(a13, 25);
    u64 b22 = rotl64(a14, 39);
    u64 b23 = rotl64(a15, 41);
    u64 b08 = rotl64(a16, 45);
    u64 b18 = rotl64(a17, 15);
    u64 b03 = rotl64(a18, 21);
    u64 b13 = rotl64(a19, 8);
    u64 b14 = rotl64(a20, 18);
    u64 b24 = rotl64(a21, 2);
    u64 b09 = rotl64(a22, 61);
    u64 b19 = rotl64(a23, 56);
    u64 b04 = rotl64(a24, 14);
    /* chi */
    a00 = b00 ^ (~b01 & b02); a01 = b01 ^ (~b02 & b03); a02 = b02 ^ (~b03 & b04); a03 = b03 ^ (~b04 & b00); a04 = b04 ^ (~b00 & b01);
    a05 = b05 ^ (~b06 & b07); a06 = b06 ^ (~b07 & b08); a07 = b07 ^ (~b08 & b09); a08 = b08 ^ (~b09 & b05); a09 = b09 ^ (~b05 & b06);
    a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14); a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);
    a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19); a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);
    a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24); a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);
    /* iota */
    a00 ^= KECCAK_RC[round];
  }
  s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
  s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
  s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
  s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
  s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
}

#define SHA3_256_RATE 136

static void sha3_256(const u8 *in, u32 len, u8 *out) {
  u64 s[25];
  for (int i = 0; i < 25; i++) s[i] = 0;
  u32 done = 0;
  for (; len - done >= SHA3_256_RATE; done += SHA3_256_RATE) {
    for (int i = 0; i < SHA3_256_RATE / 8; i++) s[i] ^= load64_le(in + done + 8 * i);
    keccak_f1600(s);
  }
  /* The last, padded block: SHA-3's domain bits 01 then pad10*1 (FIPS 202 §B.2: 0x06 ... 0x80). */
  u8 block[SHA3_256_RATE];
  u32 rest = len - done;
  for (u32 i = 0; i < rest; i++) block[i] = in[done + i];
  for (u32 i = rest; i < SHA3_256_RATE; i++) block[i] = 0;
  block[rest] ^= 0x06;
  block[SHA3_256_RATE - 1] ^= 0x80;
  for (int i = 0; i < SHA3_256_RATE / 8; i++) s[i] ^= load64_le(block + 8 * i);
  keccak_f1600(s);
  for (int i = 0; i < 4; i++) store64_le(out + 8 * i, s[i]);
}

/*
 * Two SHA3-256 computations side by side: the same Keccak-f[1600] with each 64-bit lane holding one lane of each of
 * two states (i64x2). Used for pairs of messages that need the same number of blocks (every node; most leaves).
 */
#define ROTL2(x, n) wasm_v128_or(wasm_i64x2_shl((x), (n)), wasm_u64x2_shr((x), 64 - (n)))
#define CHI(x0, x1, x2) wasm_v128_xor((x0), wasm_v128_andnot((x2), (x1)))

static void keccak_f1600_x2(v *s) {
  v a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
  v a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
  v a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
  v a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
  v a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
  for (int round = 0; round < 24; round++) {
    v c0 = wasm_v128_xor(wasm_v128_xor(wasm_v128_xor(a00, a05), wasm_v128_xor(a10, a15)), a20);
    v c1 = wasm_v128_xor(wasm_v128_xor(wasm_v128_xor(a01, a06), wasm_v128_xor(a11, a16)), a21);
    v c2 = wasm_v128_xor(wasm_v128_xor(wasm_v128_xor(a02, a07), wasm_v128_xor(a12, a17)), a22);
    v c3 = wasm_v128_xor(wasm_v128_xor(wasm_v128_xor(a03, a08), wasm_v128_xor(a13, a18)), a23);
    v c4 = wasm_v128_xor(wasm_v128_xor(wasm_v128_xor(a04, a09), wasm_v128_xor(a14, a19)), a24);
    v d0 = wasm_v128_xor(c4, ROTL2(c1, 1)), d1 = wasm_v128_xor(c0, ROTL2(c2, 1)), d2 = wasm_v128_xor(c1, ROTL2(c3, 1));
    v d3 = wasm_v128_xor(c2, ROTL2(c4, 1)), d4 = wasm_v128_xor(c3, ROTL2(c0, 1));
    v b00 = wasm_v128_xor(a00, d0);
    v b10 = ROTL2(wasm_v128_xor(a01, d1), 1);
    v b20 = ROTL2(wasm_v128_xor(a02, d2), 62);
    v b05 = ROTL2(wasm_v128_xor(a03, d3), 28);
    v b15 = ROTL2(wasm_v128_xor(a04, d4), 27);
    v b16 = ROTL2(wasm_v128_xor(a05, d0), 36);
    v b01 = ROTL2(wasm_v128_xor(a06, d1), 44);
    v b11 = ROTL2(wasm_v128_xor(a07, d2), 6);
    v b21 = ROTL2(wasm_v128_xor(a08, d3), 55);
    v b06 = ROTL2(wasm_v128_xor(a09, d4), 20);
    v b07 = ROTL2(wasm_v128_xor(a10, d0), 3);
    v b17 = ROTL2(wasm_v128_xor(a11, d1), 10);
    v b02 = ROTL2(wasm_v128_xor(a12, d2), 43);
    v b12 = ROTL2(wasm_v128_xor(a13, d3), 25);
    v b22 = ROTL2(wasm_v128_xor(a14, d4), 39);
    v b23 = ROTL2(wasm_v128_xor(a15, d0), 41);
    v b08 = ROTL2(wasm_v128_xor(a16, d1), 45);
    v b18 = ROTL2(wasm_v128_xor(a17, d2), 15);
    v b03 = ROTL2(wasm_v128_xor(a18, d3), 21);
    v b13 = ROTL2(wasm_v128_xor(a19, d4), 8);
    v b14 = ROTL2(wasm_v128_xor(a20, d0), 18);
    v b24 = ROTL2(wasm_v128_xor(a21, d1), 2);
    v b09 = ROTL2(wasm_v128_xor(a22, d2), 61);
    v b19 = ROTL2(wasm_v128_xor(a23, d3), 56);
    v b04 = ROTL2(wasm_v128_xor(a24, d4), 14);
    a00 = CHI(b00, b01, b02); a01 = CHI(b01, b02, b03); a02 = CHI(b02, b03, b04); a03 = CHI(b03, b04, b00); a04 = CHI(b04, b00, b01);
    a05 = CHI(b05, b06, b07); a06 = CHI(b06, b07, b08); a07 = CHI(b07, b08, b09); a08 = CHI(b08, b09, b05); a09 = CHI(b09, b05, b06);
    a10 = CHI(b10, b11, b12); a11 = CHI(b11, b12, b13); a12 = CHI(b12, b13, b14); a13 = CHI(b13, b14, b10); a14 = CHI(b14, b10, b11);
    a15 = CHI(b15, b16, b17); a16 = CHI(b16, b17, b18); a17 = CHI(b17, b18, b19); a18 = CHI(b18, b19, b15); a19 = CHI(b19, b15, b16);
    a20 = CHI(b20, b21, b22); a21 = CHI(b21, b22, b23); a22 = CHI(b22, b23, b24); a23 = CHI(b23, b24, b20); a24 = CHI(b24, b20, b21);
    a00 = wasm_v128_xor(a00, wasm_i64x2_splat((long long)KECCAK_RC[round]));
  }
  s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
  s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
  s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
  s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
  s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
}

/* The padded last block of a SHA3-256 message of `len` bytes; returns how many blocks the message absorbs. */
static u32 sha3_256_tail(const u8 *in, u32 len, u8 *tail) {
  u32 full = len / SHA3_256_RATE, rest = len - SHA3_256_RATE * full;
  for (u32 i = 0; i < rest; i++) tail[i] = in[SHA3_256_RATE * full + i];
  for (u32 i = rest; i < SHA3_256_RATE; i++) tail[i] = 0;
  tail[rest] ^= 0x06;
  tail[SHA3_256_RATE - 1] ^= 0x80;
  return full + 1;
}

static inline u32 sha3_256_blocks(u32 len) { return len / SHA3_256_RATE + 1; }

/* SHA3-256 of two messages that absorb the same number of blocks. */
static void sha3_256_x2(const u8 *const *in, const u32 *len, u8 *const *out) {
  u8 tails[2][SHA3_256_RATE];
  u32 full[2];
  u32 blocks = 0;
  for (int l = 0; l < 2; l++) {
    full[l] = len[l] / SHA3_256_RATE;
    blocks = sha3_256_tail(in[l], len[l], tails[l]);
  }
  v s[25];
  for (int i = 0; i < 25; i++) s[i] = wasm_i64x2_splat(0);
  for (u32 j = 0; j < blocks; j++) {
    const u8 *p0 = j < full[0] ? in[0] + SHA3_256_RATE * j : tails[0];
    const u8 *p1 = j < full[1] ? in[1] + SHA3_256_RATE * j : tails[1];
    for (int i = 0; i < SHA3_256_RATE / 8; i++) s[i] = wasm_v128_xor(s[i], wasm_i64x2_make((long long)load64_le(p0 + 8 * i), (long long)load64_le(p1 + 8 * i)));
    keccak_f1600_x2(s);
  }
  u64 lanes[2];
  for (int i = 0; i < 4; i++) {
    wasm_v128_store(lanes, s[i]);
    store64_le(out[0] + 8 * i, lanes[0]);
    store64_le(out[1] + 8 * i, lanes[1]);
  }
}

/* ---------------------------------------------------------------- BLAKE3 (hash mode, 32-byte output) */

static const u32 B3_IV[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};
static const u8 B3_PERMUTE[16] = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};
enum { CHUNK_START = 1, CHUNK_END = 2, PARENT = 4, ROOT = 8 };
#define B3_BLOCK 64
#define B3_CHUNK 1024

#define G(a, b, c, d, mx, my)                 \
  do {                                        \
    v[a] = v[a] + v[b] + (mx); v[d] = rotr32(v[d] ^ v[a], 16); \
    v[c] = v[c] + v[d];        v[b] = rotr32(v[b] ^ v[c], 12); \
    v[a] = v[a] + v[b] + (my); v[d] = rotr32(v[d] ^ v[a], 8);  \
    v[c] = v[c] + v[d];        v[b] = rotr32(v[b] ^ v[c], 7);  \
  } while (0)

/* The compression function, keeping only the first 8 output words (all that hash mode with 32-byte output needs). */
static void b3_compress(u32 *cv, const u32 *block_words, u64 counter, u32 block_len, u32 flags) {
  u32 v[16] = {cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7],
               B3_IV[0], B3_IV[1], B3_IV[2], B3_IV[3], (u32)counter, (u32)(counter >> 32), block_len, flags};
  u32 m[16], t[16];
  for (int i = 0; i < 16; i++) m[i] = block_words[i];
  for (int r = 0; r < 7; r++) {
    G(0, 4, 8, 12, m[0], m[1]); G(1, 5, 9, 13, m[2], m[3]); G(2, 6, 10, 14, m[4], m[5]); G(3, 7, 11, 15, m[6], m[7]);
    G(0, 5, 10, 15, m[8], m[9]); G(1, 6, 11, 12, m[10], m[11]); G(2, 7, 8, 13, m[12], m[13]); G(3, 4, 9, 14, m[14], m[15]);
    if (r < 6) {
      for (int i = 0; i < 16; i++) t[i] = m[B3_PERMUTE[i]];
      for (int i = 0; i < 16; i++) m[i] = t[i];
    }
  }
  for (int i = 0; i < 8; i++) cv[i] = v[i] ^ v[i + 8];
}

static void b3_words(const u8 *p, u32 len, u32 *words) {
  u8 block[B3_BLOCK];
  for (u32 i = 0; i < len; i++) block[i] = p[i];
  for (u32 i = len; i < B3_BLOCK; i++) block[i] = 0;
  for (int i = 0; i < 16; i++) words[i] = load32_le(block + 4 * i);
}

/*
 * The chaining value of chunk `chunk_index` (its bytes at `in`, 1..1024 of them, or 0 for the empty input), with
 * `root` set when this chunk is the whole input.
 */
static void b3_chunk_cv(const u8 *in, u32 len, u64 chunk_index, int root, u32 *cv) {
  for (int i = 0; i < 8; i++) cv[i] = B3_IV[i];
  u32 words[16];
  u32 blocks = len == 0 ? 1 : (len + B3_BLOCK - 1) / B3_BLOCK;
  for (u32 b = 0; b < blocks; b++) {
    u32 start = b * B3_BLOCK;
    u32 n = len - start < B3_BLOCK ? len - start : B3_BLOCK;
    b3_words(in + start, n, words);
    u32 flags = (b == 0 ? CHUNK_START : 0) | (b == blocks - 1 ? CHUNK_END | (root ? ROOT : 0) : 0);
    b3_compress(cv, words, chunk_index, n, flags);
  }
}

static void b3_parent_cv(const u32 *left, const u32 *right, int root, u32 *out) {
  u32 words[16];
  for (int i = 0; i < 8; i++) { words[i] = left[i]; words[i + 8] = right[i]; }
  for (int i = 0; i < 8; i++) out[i] = B3_IV[i];
  b3_compress(out, words, 0, B3_BLOCK, PARENT | (root ? ROOT : 0));
}

/*
 * BLAKE3 over several chunks: the chunk chaining values merged on a stack as in the reference implementation
 * (a completed subtree is merged while the number of chunks so far has trailing zero bits), the last merges
 * right to left with ROOT on the final parent.
 */
static void blake3(const u8 *in, u32 len, u8 *out) {
  u32 cv[8];
  if (len <= B3_CHUNK) {
    b3_chunk_cv(in, len, 0, 1, cv);
  } else {
    u32 stack[54][8];
    int depth = 0;
    u64 chunks = (len + B3_CHUNK - 1) / B3_CHUNK;
    for (u64 c = 0; c + 1 < chunks; c++) {
      b3_chunk_cv(in + c * B3_CHUNK, B3_CHUNK, c, 0, cv);
      u64 total = c + 1;
      while ((total & 1) == 0) {
        depth--;
        b3_parent_cv(stack[depth], cv, 0, cv);
        total >>= 1;
      }
      for (int i = 0; i < 8; i++) stack[depth][i] = cv[i];
      depth++;
    }
    u32 last = len - (u32)((chunks - 1) * B3_CHUNK);
    b3_chunk_cv(in + (chunks - 1) * B3_CHUNK, last, chunks - 1, 0, cv);
    while (depth > 0) {
      depth--;
      b3_parent_cv(stack[depth], cv, depth == 0, cv);
    }
  }
  for (int i = 0; i < 8; i++) store32_le(out + 4 * i, cv[i]);
}

/* ---------------------------------------------------------------- the tree */

static void digest(u32 alg, const u8 *in, u32 len, u8 *out) {
  if (alg == 0) sha256(in, len, out);
  else if (alg == 1) sha3_256(in, len, out);
  else blake3(in, len, out);
}

/*
 * SHA-256 leaf hashes, four at a time: leaves are grouped by how many blocks they need (statements of similar length
 * mostly share a count), each group of four hashed side by side; the few left over in a group go one at a time.
 */
#define GROUPED_BLOCKS 16
static void sha256_leaves(const u8 *data, const u32 *offsets, u32 count, u8 *hashes) {
  u32 waiting[GROUPED_BLOCKS + 1][3];
  u32 waiting_count[GROUPED_BLOCKS + 1];
  for (int b = 0; b <= GROUPED_BLOCKS; b++) waiting_count[b] = 0;
  for (u32 i = 0; i < count; i++) {
    u32 len = offsets[i + 1] - offsets[i];
    u32 blocks = sha256_blocks(len);
    if (blocks > GROUPED_BLOCKS) {
      sha256(data + offsets[i], len, hashes + 32 * i);
      continue;
    }
    if (waiting_count[blocks] < 3) {
      waiting[blocks][waiting_count[blocks]++] = i;
      continue;
    }
    u32 idx[4] = {waiting[blocks][0], waiting[blocks][1], waiting[blocks][2], i};
    waiting_count[blocks] = 0;
    const u8 *in[4];
    u32 lens[4];
    u8 *out[4];
    for (int l = 0; l < 4; l++) {
      in[l] = data + offsets[idx[l]];
      lens[l] = offsets[idx[l] + 1] - offsets[idx[l]];
      out[l] = hashes + 32 * idx[l];
    }
    sha256_x4(in, lens, out);
  }
  for (int b = 0; b <= GROUPED_BLOCKS; b++) {
    for (u32 k = 0; k < waiting_count[b]; k++) {
      u32 j = waiting[b][k];
      sha256(data + offsets[j], offsets[j + 1] - offsets[j], hashes + 32 * j);
    }
  }
}

/* SHA3-256 leaf hashes in pairs of leaves that absorb the same number of blocks (as sha256_leaves does by fours). */
static void sha3_256_leaves(const u8 *data, const u32 *offsets, u32 count, u8 *hashes) {
  u32 waiting[GROUPED_BLOCKS + 1];
  int has_waiting[GROUPED_BLOCKS + 1];
  for (int b = 0; b <= GROUPED_BLOCKS; b++) has_waiting[b] = 0;
  for (u32 i = 0; i < count; i++) {
    u32 len = offsets[i + 1] - offsets[i];
    u32 blocks = sha3_256_blocks(len);
    if (blocks > GROUPED_BLOCKS) {
      sha3_256(data + offsets[i], len, hashes + 32 * i);
    } else if (!has_waiting[blocks]) {
      waiting[blocks] = i;
      has_waiting[blocks] = 1;
    } else {
      u32 j = waiting[blocks];
      has_waiting[blocks] = 0;
      const u8 *in[2] = {data + offsets[j], data + offsets[i]};
      u32 lens[2] = {offsets[j + 1] - offsets[j], len};
      u8 *out[2] = {hashes + 32 * j, hashes + 32 * i};
      sha3_256_x2(in, lens, out);
    }
  }
  for (int b = 0; b <= GROUPED_BLOCKS; b++) {
    if (has_waiting[b]) {
      u32 j = waiting[b];
      sha3_256(data + offsets[j], offsets[j + 1] - offsets[j], hashes + 32 * j);
    }
  }
}

/* One past the end of the static data: the caller's buffers start here (the JS side grows memory as it needs). */
extern u8 __heap_base;

EXPORT("heap_base") u32 heap_base(void) { return (u32)(size_t)&__heap_base; }

/*
 * The Merkle Tree Hash of `count` leaves under algorithm `alg` (0 SHA-256, 1 SHA3-256, 2 BLAKE3).
 *   data      leaf-hash inputs, each already 0x00 || leaf data, back to back;
 *   offsets   count + 1 little-endian u32: leaf i is data[offsets[i] .. offsets[i+1]);
 *   levels    scratch for every level's hashes, 32 bytes each: level 0 (count leaf hashes), then level 1, ... up to the
 *             root (an odd last node is copied up, so each level is complete): at most 2 * count + 33 hashes;
 *   out       the 32-byte root (the empty tree: HASH of no input).
 * Returns the number of hashes written to `levels`. Unknown `alg` values return 0 and write nothing.
 */
EXPORT("merkle_root")
u32 merkle_root(u32 alg, const u8 *data, const u32 *offsets, u32 count, u8 *levels, u8 *out) {
  if (alg > 2) return 0;
  if (count == 0) {
    digest(alg, data, 0, out);
    return 0;
  }
  if (alg == 0) sha256_leaves(data, offsets, count, levels);
  else if (alg == 1) sha3_256_leaves(data, offsets, count, levels);
  else for (u32 i = 0; i < count; i++) digest(alg, data + offsets[i], offsets[i + 1] - offsets[i], levels + 32 * i);
  u8 node[4][65];
  u8 *level = levels;
  u32 width = count;
  while (width > 1) {
    u8 *next = level + 32 * width;
    u32 pairs = width / 2;
    u32 i = 0;
    if (alg == 0) {
      /* Every node input is 65 bytes: four at a time. */
      for (; i + 4 <= pairs; i += 4) {
        const u8 *in[4];
        u8 *out[4];
        u32 len[4] = {65, 65, 65, 65};
        for (int l = 0; l < 4; l++) {
          node[l][0] = 0x01;
          for (int j = 0; j < 64; j++) node[l][1 + j] = level[64 * (i + l) + j];
          in[l] = node[l];
          out[l] = next + 32 * (i + l);
        }
        sha256_x4(in, len, out);
      }
    } else if (alg == 1) {
      for (; i + 2 <= pairs; i += 2) {
        const u8 *in[2];
        u8 *out[2];
        u32 len[2] = {65, 65};
        for (int l = 0; l < 2; l++) {
          node[l][0] = 0x01;
          for (int j = 0; j < 64; j++) node[l][1 + j] = level[64 * (i + l) + j];
          in[l] = node[l];
          out[l] = next + 32 * (i + l);
        }
        sha3_256_x2(in, len, out);
      }
    }
    for (; i < pairs; i++) {
      node[0][0] = 0x01;
      for (int j = 0; j < 64; j++) node[0][1 + j] = level[64 * i + j];
      digest(alg, node[0], 65, next + 32 * i);
    }
    if (width & 1) {
      for (int j = 0; j < 32; j++) next[32 * pairs + j] = level[32 * (width - 1) + j];
    }
    level = next;
    width = pairs + (width & 1);
  }
  for (int j = 0; j < 32; j++) out[j] = level[j];
  return (u32)((level + 32 - levels) / 32);
}

/* One hash of `len` bytes at `in` (the same code the tree uses; for tests and single digests). */
EXPORT("digest")
u32 digest_export(u32 alg, const u8 *in, u32 len, u8 *out) {
  if (alg > 2) return 0;
  digest(alg, in, len, out);
  return 1;
}
