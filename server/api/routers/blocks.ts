/**
 * `blocks`: the block explorer: keyset-paged lists, detail by height (canonical) or by content id (any stored block),
 * "go to block" search, and the chart series of recent blocks.
 */
import { z } from "zod";

import {
  BLOCK_FILTERS,
  BLOCK_PAGE_SIZE,
  MAX_PAGE_SIZE,
  findBlock,
  getBlockByContentId,
  getBlockSeries,
  getCanonicalBlock,
  listBlocksLive,
} from "../../chain/block-queries";
import { MAX_ROW_ID, MAX_STORED_BLOCK_NUMBER } from "../../../lib/ingest/storage-limits";
import { getPgPool } from "../../db/pg-pool";
import { createTRPCRouter } from "../trpc";
import { databaseProcedure } from "./database-procedure";

/** Block heights are non-negative and, in PostgreSQL, int4 (lib/ingest/storage-limits.ts). */
export const blockNumberSchema = z.number().int().min(0).max(MAX_STORED_BLOCK_NUMBER);
/** A content id: 0x + 32 bytes of lowercase hex. */
export const contentIdSchema = z.string().max(66).regex(/^0x[0-9a-f]{64}$/, "a content id is 0x followed by 64 lowercase hex digits");
export const blockCursorSchema = z.object({ blockNumber: blockNumberSchema, id: z.number().int().min(0).max(MAX_ROW_ID) });

export const listBlocksInput = z.object({
  filter: z.enum(BLOCK_FILTERS).default("canonical"),
  before: blockCursorSchema.optional(),
  after: blockCursorSchema.optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(BLOCK_PAGE_SIZE),
});

export const blocksRouter = createTRPCRouter({
  /** One page of blocks, newest first (25 by default); `before`/`after` are the page's `older`/`newer` cursors. */
  list: databaseProcedure.input(listBlocksInput).query(async ({ input }) => listBlocksLive(await getPgPool(), input)),

  /** The canonical block at a height with statements, violations and siblings; null when none is stored. */
  byNumber: databaseProcedure
    .input(z.object({ blockNumber: blockNumberSchema }))
    .query(async ({ input }) => getCanonicalBlock(await getPgPool(), input.blockNumber)),

  /** Any stored block by content id (canonical or not, valid or not); null when none is stored. */
  byContentId: databaseProcedure
    .input(z.object({ contentId: contentIdSchema }))
    .query(async ({ input }) => getBlockByContentId(await getPgPool(), input.contentId)),

  /** Where a typed height, content id or block hash leads; null when no stored block matches. */
  find: databaseProcedure.input(z.object({ query: z.string().max(200) })).query(async ({ input }) => findBlock(await getPgPool(), input.query)),

  /** Statements per block and seconds between blocks over the last `count` canonical blocks. */
  series: databaseProcedure
    .input(z.object({ count: z.number().int().min(2).max(1000).default(60) }).default({ count: 60 }))
    .query(async ({ input }) => getBlockSeries(await getPgPool(), input.count)),
});
