/**
 * Every value a user types is bounded (issue 6 §2): random strings and numbers thrown at each surface, against a
 * real PostgreSQL database holding a small chain, never produce a 500 (web) or an exit 3 (CLI).
 *
 *   - tRPC: every procedure with an input, through the server-side caller and through the fetch adapter that
 *     app/api/trpc/[trpc]/route.ts uses (so JSON-level junk reaches zod too);
 *   - the REST route handlers: GET /api/v1/status, POST /api/v1/blocks with block-shaped bodies whose fields are junk;
 *   - the pages' parameters: /blocks?q=&filter=&before=&after=, /blocks/<height>, /blocks/id/<content id>, each
 *     through what the page itself calls (its address parsers, then the tRPC caller);
 *   - the CLI, in-process, with junk in every flag of the commands that read the node's database.
 *
 * Pinned regressions: /blocks?q=9999999999 used to answer 500 (int4 overflow in the search).
 */
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import fc from "fast-check";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runInProcess } from "../cli/test-support/run-in-process";
import { contentIdFromAddress, heightFromAddress } from "../components/blocks/block-address";
import { parseExplorerParams } from "../components/blocks/explorer-params";
import { makeEpoch } from "../lib/consensus/epochs";
import { sealBlock } from "../lib/consensus/seal-block";
import type { Block } from "../lib/consensus/block";
import { nobleHashSuite } from "../lib/crypto/hash-algorithms";
import { MAX_STORED_BLOCK_NUMBER, parseTypedHeight } from "../lib/ingest/storage-limits";
import { appRouter, createCaller } from "./api/root";
import { createTRPCContext } from "./api/trpc";
import { replaceEpochRegistry } from "./chain/epoch-registry";
import { closePgPool, createPgPool } from "./db/pg-pool";
import { createTestDatabase, type TestDatabase } from "./db/test-database";
import { ingestBlocks } from "./ingest/ingest-blocks";

const RUNS = 40;
const TOKEN = "bounded-inputs-node-token-0123";
const T0 = 1_780_000_000;
const EPOCHS = [makeEpoch(0, "v1-legacy", 0, T0, null, 3), makeEpoch(4, "v2-dual-required", 1, T0)];

let db: TestDatabase;
let pool: pg.Pool;
const chain: Block[] = [];
const saved = { url: process.env.DATABASE_URL, token: process.env.MATHLEDGER_NODE_TOKEN };
let POST: (request: Request) => Promise<Response>;
let GET_STATUS: () => Promise<Response>;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await replaceEpochRegistry(pool, EPOCHS);
  let prev: Block | null = null;
  for (let n = 0; n < 8; n++) {
    prev = sealBlock({ statements: [`${n} + 1 = ${n + 1}`], epochs: EPOCHS, prev, timestamp: T0 + 2 * n });
    chain.push(prev);
  }
  await ingestBlocks(pool, chain, { source: "import", suite: nobleHashSuite, now: T0 + 100 });
  // The routers and route handlers use the process's pool on DATABASE_URL.
  process.env.DATABASE_URL = db.url;
  process.env.MATHLEDGER_NODE_TOKEN = TOKEN;
  ({ POST } = await import("../app/api/v1/blocks/route"));
  ({ GET: GET_STATUS } = await import("../app/api/v1/status/route"));
});

afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  for (const [key, value] of Object.entries({ DATABASE_URL: saved.url, MATHLEDGER_NODE_TOKEN: saved.token })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/* ---------------------------------------------------------------------------------------------------------------- *
 * Generators: what a person (or a script) might type, with the boundaries over-represented.
 * ---------------------------------------------------------------------------------------------------------------- */

const EDGE_TEXT = [
  "", " ", "0", "-0", "-1", "+1", "1.5", "1e3", "1e309", "0x10", "NaN", "Infinity", "#7", "#", "007",
  "2147483646", "2147483647", "2147483648", "4294967296", "9999999999", "99999999999", "9007199254740991",
  "9007199254740992", "1".repeat(40), "%", "%E0%A4%A", "\u0000", "\ud800", "0x" + "a".repeat(64), "0x" + "A".repeat(64),
  "a".repeat(64), "0x" + "a".repeat(63), "0x" + "a".repeat(65), "'; DROP TABLE blocks; --",
];

/** Text typed into a box, an address or a flag. */
const typedText = fc.oneof(
  fc.constantFrom(...EDGE_TEXT),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.stringMatching(/^#?[0-9]{1,25}$/),
  fc.stringMatching(/^(0x)?[0-9a-fA-F]{60,68}$/),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);

const EDGE_NUMBERS = [0, -0, -1, 1, 0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 1e300, -1e300, Number.MAX_VALUE, Number.EPSILON];

/** Any JSON-representable value a client could put where a number belongs. */
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 3, arbitrary: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: typedText },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [1], { blockNumber: 1 }) },
);

/** A value passed in-process (the server caller): JSON values plus what JSON cannot carry. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: jsonValue },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined, 10n) },
);

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** An object where a procedure expects one: sometimes well-shaped with junk values, sometimes junk itself. */
function inputFor(shape: Record<string, fc.Arbitrary<unknown>>, values: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.keys(shape).map((k) => [k, maybe(fc.oneof(shape[k], values))]));
  return fc.oneof({ weight: 5, arbitrary: fc.record(fields, { requiredKeys: [] }) }, { weight: 1, arbitrary: values });
}

const cursor = (values: fc.Arbitrary<unknown>) =>
  fc.oneof(fc.record({ blockNumber: values, id: values }), fc.record({ blockNumber: fc.nat(10), id: fc.nat(10) }), values);

/** Each procedure that takes input, with a generator of inputs around its real shape. */
function procedureInputs(values: fc.Arbitrary<unknown>): Record<string, fc.Arbitrary<unknown>> {
  return {
    "blocks.list": inputFor(
      { filter: fc.constantFrom("canonical", "all", "invalid", "bogus"), before: cursor(values), after: cursor(values), limit: fc.integer({ min: -5, max: 200 }) },
      values,
    ),
    "blocks.byNumber": inputFor({ blockNumber: fc.integer({ min: -5, max: 20 }) }, values),
    "blocks.byContentId": inputFor({ contentId: fc.constantFrom("0x" + "a".repeat(64), "0x" + "A".repeat(64), "0x" + "a".repeat(63)) }, values),
    "blocks.find": inputFor({ query: typedText }, values),
    "blocks.series": inputFor({ count: fc.integer({ min: -5, max: 2000 }) }, values),
    "chain.recentViolations": inputFor({ limit: fc.integer({ min: -5, max: 100 }) }, values),
    "chain.reorgs": inputFor({ limit: fc.integer({ min: -5, max: 100 }) }, values),
  };
}

type AnyProcedure = (input: unknown) => Promise<unknown>;

function procedureOf(caller: ReturnType<typeof createCaller>, path: string): AnyProcedure {
  const [router, name] = path.split(".");
  return (caller as unknown as Record<string, Record<string, AnyProcedure>>)[router][name];
}

/** Resolves, or rejects with a TRPCError that is not an internal one; returns the tRPC code ("OK" on success). */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return (error as TRPCError).code;
  }
}

async function overHttp(path: string, input: unknown): Promise<{ status: number; text: string }> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}${query}`),
    router: appRouter,
    createContext: () => createTRPCContext({ headers: new Headers() }),
  });
  return { status: res.status, text: await res.text() };
}

const newCaller = () => createCaller(() => createTRPCContext({ headers: new Headers() }));

/* ---------------------------------------------------------------------------------------------------------------- */

describe("tRPC inputs", () => {
  it("pins the search regression: a height above int4 is a 400 naming the range, not a 500", async () => {
    const caller = newCaller();
    await expect(caller.blocks.find({ query: "9999999999" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("heights go from 0 to 2147483647") });
    expect((await overHttp("blocks.find", { query: "9999999999" })).status).toBe(400);
    await expect(caller.blocks.find({ query: "2147483647" })).resolves.toBeNull();
    await expect(caller.blocks.find({ query: "#3" })).resolves.toEqual({ kind: "number", block_number: 3 });
    await expect(caller.blocks.byNumber({ blockNumber: 2 ** 31 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.blocks.list({ before: { blockNumber: 5, id: 2 ** 53 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("never answers an internal error to the server-side caller, whatever the input (property)", async () => {
    const caller = newCaller();
    for (const [path, inputs] of Object.entries(procedureInputs(anyValue))) {
      await fc.assert(
        fc.asyncProperty(inputs, async (input) => {
          const code = await outcomeOf(procedureOf(caller, path)(input));
          expect(code, `${path}(${fc.stringify(input)})`).not.toBe("INTERNAL_SERVER_ERROR");
        }),
        { numRuns: RUNS },
      );
    }
  });

  it("never answers 5xx over HTTP, whatever JSON the input carries (property)", async () => {
    for (const [path, inputs] of Object.entries(procedureInputs(jsonValue))) {
      await fc.assert(
        fc.asyncProperty(inputs, async (input) => {
          const { status, text } = await overHttp(path, input);
          expect(status, `${path} ${text.slice(0, 300)}`).toBeLessThan(500);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it("never answers 5xx to a raw ?input= that is not JSON at all (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("blocks.find", "blocks.list", "blocks.byNumber"), fc.string({ maxLength: 30 }), async (path, raw) => {
        const res = await fetchRequestHandler({
          endpoint: "/api/trpc",
          req: new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(raw)}`),
          router: appRouter,
          createContext: () => createTRPCContext({ headers: new Headers() }),
        });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("page parameters, through what each page calls", () => {
  it("/blocks?q=&filter=&before=&after=: the explorer's reading of its address, then its queries, never fail internally (property)", async () => {
    const caller = newCaller();
    const searchValue = fc.option(fc.oneof(typedText, fc.array(typedText, { maxLength: 2 })), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.record({ q: searchValue, filter: searchValue, before: searchValue, after: searchValue }, { requiredKeys: [] }), async (params) => {
        // app/blocks/page.tsx: parse the address; an out-of-range height is the 404 page; else find, list and status.
        const parsed = parseExplorerParams(params);
        if (parsed.query) {
          const typed = parseTypedHeight(parsed.query);
          if ("problem" in typed && typed.problem === "out-of-range") return;
          expect(await outcomeOf(caller.blocks.find({ query: parsed.query }))).toBe("OK");
        }
        expect(await outcomeOf(caller.blocks.list({ filter: parsed.filter, before: parsed.before, after: parsed.after }))).toBe("OK");
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("/blocks?q=9999999999 is the explorer's 404 before any query runs", () => {
    const typed = parseTypedHeight(parseExplorerParams({ q: "9999999999" }).query!);
    expect(typed).toEqual({ problem: "out-of-range" });
  });

  it("/blocks/<height>: any address segment is a height the query accepts, or the 404 page (property)", async () => {
    const caller = newCaller();
    expect(heightFromAddress("99999999999")).toBeNull();
    expect(heightFromAddress("2147483647")).toBe(MAX_STORED_BLOCK_NUMBER);
    await fc.assert(
      fc.asyncProperty(typedText, async (segment) => {
        const height = heightFromAddress(segment);
        if (height !== null) expect(await outcomeOf(caller.blocks.byNumber({ blockNumber: height }))).toBe("OK");
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("/blocks/id/<content id>: any address segment is an id the query accepts, or the 404 page (property)", async () => {
    const caller = newCaller();
    expect(contentIdFromAddress("%E0%A4%A")).toBeNull();
    await fc.assert(
      fc.asyncProperty(typedText, async (segment) => {
        const id = contentIdFromAddress(segment);
        if (id !== null) expect(await outcomeOf(caller.blocks.byContentId({ contentId: id }))).toBe("OK");
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe("REST route handlers", () => {
  const push = (body: string) =>
    POST(new Request("http://localhost/api/v1/blocks", { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body }));

  it("GET /api/v1/status answers 200", async () => {
    expect((await GET_STATUS()).status).toBe(200);
  });

  it("POST /api/v1/blocks refuses a block numbered above int4 with a 400 naming the limit, writing nothing", async () => {
    const before = await pool.query("SELECT count(*)::int AS n FROM blocks");
    const response = await push(JSON.stringify({ ...chain[7], block_number: 2 ** 31 }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("the largest height this node can store");
    expect((await pool.query("SELECT count(*)::int AS n FROM blocks")).rows[0].n).toBe(before.rows[0].n);
  });

  it("POST /api/v1/blocks never answers 5xx to a block whose fields are junk (property)", async () => {
    const fields = ["block_number", "timestamp", "prev_hash", "merkle_root", "pq_algorithm", "pq_prev_hash", "pq_merkle_root", "dual_commitment", "statements"];
    await fc.assert(
      fc.asyncProperty(fc.nat(chain.length - 1), fc.dictionary(fc.constantFrom(...fields), jsonValue, { maxKeys: 3 }), async (index, junk) => {
        const response = await push(JSON.stringify({ ...chain[index], ...junk }));
        expect(response.status, await response.clone().text()).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("CLI flags (in-process, against the same database)", () => {
  const ONLINE = [
    ["block-info", "--block-number"],
    ["validate-block", "--block-number"],
    ["verify-dual-commitment", "--block-number"],
    ["epoch-info", "--block-number"],
    ["verify-chain", "--start-block", "0", "--end-block"],
    ["verify-chain", "--end-block", "3", "--start-block"],
  ];
  const cli = (argv: string[]) => runInProcess(argv, { env: { DATABASE_URL: db.url } });

  it("refuses a height above int4 with exit 2 and one line naming the limit", async () => {
    const result = await cli(["block-info", "--block-number", "9999999999"]);
    expect(result.code).toBe(2);
    expect(result.stderrLines).toEqual([expect.stringContaining(`--block-number must be at most 2147483647, got "9999999999"`)]);
  });

  it("never exits 3, whatever is typed into a height flag (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ONLINE), typedText, fc.boolean(), async (words, value, json) => {
        const result = await cli([...words, value, ...(json ? ["--json"] : [])]);
        expect(result.code, `${words.join(" ")} ${JSON.stringify(value)}: ${result.stderr}`).not.toBe(3);
        expect([0, 1, 2]).toContain(result.code);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("never exits 3 for junk in any position of an online command line (property)", async () => {
    const commands = [["block-info"], ["validate-block"], ["verify-dual-commitment"], ["epoch-info"], ["verify-chain"], ["node", "status"], ["pq", "status"]];
    const flags = ["--block-number", "--start-block", "--end-block", "--file", "--prev-file", "--json", "--help", "--bogus", "-x", "--"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), fc.array(fc.oneof(fc.constantFrom(...flags), typedText), { maxLength: 5 }), async (words, rest) => {
        const result = await cli([...words, ...rest]);
        expect(result.code, `${[...words, ...rest].join(" ")}: ${result.stderr}`).not.toBe(3);
      }),
      { numRuns: RUNS },
    );
  });
});
