/**
 * Published test values, transcribed from their sources (each cited). Nothing here is computed: generate.ts checks
 * every value against node:crypto and @noble/hashes, and stops if a transcription is wrong.
 */

export interface HashInput {
  /** "utf8": `value` is text; "hex": `value` is bytes in hex; "blake3-pattern": bytes i % 251 for i in 0..length-1. */
  encoding: "utf8" | "hex" | "blake3-pattern";
  value?: string;
  /** The input is `value` repeated this many times (default 1). */
  repeat?: number;
  length?: number;
}

export interface PublishedHash {
  algorithm: "SHA-256" | "SHA3-256" | "BLAKE3";
  description: string;
  input: HashInput;
  digest: string;
  source: string;
}

const CPYTHON = "python/cpython Lib/test/test_hashlib.py@0062d1e7f42b3036aa02701c723ff63d1d3d6028 (test_case_sha256_0..3, the FIPS 180-2 examples)";
const OPENSSL = "openssl/openssl test/recipes/30-test_evp_data/evpmd_sha.txt@06ef56649f5a084c22c857fe7a7ea154e8a21fab";
const NOBLE = "paulmillr/noble-hashes test/hashes.test.ts@152a5daa3207fa79724459c94b5f3e515d216024 (NIST_VECTORS, SHA3_256.nist)";
const DOTNET = "dotnet/runtime src/libraries/System.Security.Cryptography/tests/Sha3_256Tests.cs@24b6fbb9988f5a4f88acc7b3f80b4ce73afd48a5 (Fips202Kats, 'Generated from SHA3_256ShortMsg.rsp', NIST CAVP)";
const BLAKE3_SRC = "BLAKE3-team/BLAKE3 test_vectors/test_vectors.json@2f6f56f3477321c9e4742f1c863e45f2cfcbfb5e ('hash' field, first 32 bytes of the extended output)";

const M448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const M896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

export const PUBLISHED_HASHES: PublishedHash[] = [
  { algorithm: "SHA-256", description: "empty message", input: { encoding: "utf8", value: "" }, digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", source: CPYTHON },
  { algorithm: "SHA-256", description: "\"abc\" (FIPS 180 one-block example)", input: { encoding: "utf8", value: "abc" }, digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", source: `${CPYTHON}; ${OPENSSL}` },
  { algorithm: "SHA-256", description: "448-bit message (FIPS 180 two-block example)", input: { encoding: "utf8", value: M448 }, digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", source: `${CPYTHON}; ${OPENSSL}` },
  { algorithm: "SHA-256", description: "1,000,000 x \"a\"", input: { encoding: "utf8", value: "a", repeat: 1_000_000 }, digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", source: `${CPYTHON}; ${OPENSSL}` },

  { algorithm: "SHA3-256", description: "empty message (FIPS 202 example; CAVP ShortMsg Len = 0)", input: { encoding: "utf8", value: "" }, digest: "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", source: `${OPENSSL}; ${DOTNET}` },
  { algorithm: "SHA3-256", description: "\"abc\"", input: { encoding: "utf8", value: "abc" }, digest: "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", source: NOBLE },
  { algorithm: "SHA3-256", description: "448-bit message", input: { encoding: "utf8", value: M448 }, digest: "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376", source: NOBLE },
  { algorithm: "SHA3-256", description: "896-bit message", input: { encoding: "utf8", value: M896 }, digest: "916f6061fe879741ca6469b43971dfdb28b1a32dc36cb3254e812be27aad1d18", source: NOBLE },
  { algorithm: "SHA3-256", description: "1,000,000 x \"a\"", input: { encoding: "utf8", value: "a", repeat: 1_000_000 }, digest: "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1", source: NOBLE },
  { algorithm: "SHA3-256", description: "1600-bit message 0xa3 x 200 (FIPS 202 example values)", input: { encoding: "hex", value: "a3", repeat: 200 }, digest: "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787", source: OPENSSL },
  { algorithm: "SHA3-256", description: "CAVP SHA3_256ShortMsg Len = 8", input: { encoding: "hex", value: "e9" }, digest: "f0d04dd1e6cfc29a4460d521796852f25d9ef8d28b44ee91ff5b759d72c1e6d6", source: DOTNET },
  { algorithm: "SHA3-256", description: "CAVP SHA3_256ShortMsg Len = 16", input: { encoding: "hex", value: "d477" }, digest: "94279e8f5ccdf6e17f292b59698ab4e614dfe696a46c46da78305fc6a3146ab7", source: DOTNET },
  { algorithm: "SHA3-256", description: "CAVP SHA3_256ShortMsg Len = 24", input: { encoding: "hex", value: "b053fa" }, digest: "9d0ff086cd0ec06a682c51c094dc73abdc492004292344bd41b82a60498ccfdb", source: DOTNET },

  ...(
    [
      [0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"],
      [1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213"],
      [1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11"],
      [1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7"],
      [1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444"],
      [2048, "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a"],
      [2049, "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030"],
      [3072, "b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2"],
      [4096, "015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969"],
      [8193, "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b"],
      [16384, "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde4"],
      [102400, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085"],
    ] as const
  ).map(
    ([length, digest]): PublishedHash => ({
      algorithm: "BLAKE3",
      description: `official test vector, input_len ${length} (bytes 0, 1, ..., 250, 0, 1, ...)`,
      input: { encoding: "blake3-pattern", length },
      digest,
      source: BLAKE3_SRC,
    }),
  ),
];

// ---- RFC 6962 Merkle vectors (transparency-dev/merkle) ----

const TD_VERIFY = "transparency-dev/merkle proof/verify_test.go@02194e9afb6c1d95b5381350007963aa70fff472";
export const MERKLE_SOURCES = {
  verify: TD_VERIFY,
  hasher: "transparency-dev/merkle rfc6962/rfc6962_test.go@78493b07ef9b552e3379abf9e23d4da26fbe797c (TestRFC6962Hasher)",
  consistencyJson: "transparency-dev/merkle testdata/consistency/1/happy-path.json@bcba819ef46f73fd3aaa964f46778beab2e20d59 (base64 of the same proof)",
};

/** `leaves` of verify_test.go, as hex. */
export const RFC6962_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

/** `roots` of verify_test.go: roots[i] is the root of the first i + 1 leaves. */
export const RFC6962_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
export const RFC6962_EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** `inclusionProofs` of verify_test.go. The Go table's `leaf` is 1-based; here `leaf_index` is 0-based. */
export const RFC6962_INCLUSION = [
  { leaf_index: 0, tree_size: 1, path: [] as string[] },
  {
    leaf_index: 0,
    tree_size: 8,
    path: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    leaf_index: 5,
    tree_size: 8,
    path: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { leaf_index: 2, tree_size: 3, path: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    leaf_index: 1,
    tree_size: 5,
    path: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

/** `consistencyProofs` of verify_test.go. */
export const RFC6962_CONSISTENCY = [
  { old_size: 1, new_size: 1, proof: [] as string[] },
  {
    old_size: 1,
    new_size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    old_size: 6,
    new_size: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    old_size: 2,
    new_size: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    old_size: 6,
    new_size: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

/** TestRFC6962Hasher of rfc6962_test.go. */
export const RFC6962_HASHER = [
  { kind: "leaf", data_hex: "", digest: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", description: "empty leaf: SHA-256(0x00), differs from the empty tree" },
  { kind: "leaf", data_hex: Buffer.from("L123456").toString("hex"), digest: "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56", description: "leaf \"L123456\"" },
  {
    kind: "node",
    left_hex: Buffer.from("N123").toString("hex"),
    right_hex: Buffer.from("N456").toString("hex"),
    digest: "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
    description: "node over the 4-byte children \"N123\" and \"N456\": SHA-256(0x01 || left || right)",
  },
];
