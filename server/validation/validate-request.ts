/**
 * The request of validation on demand, shared by tRPC `consensus.validate` and `POST /api/v1/validate`:
 *
 *   {"blocks": [...],                                   1 to 1,000 blocks, a chain segment in order
 *    "predecessor": {"block": {...}}                    the block before the first, inline
 *                 | {"block_number": N}                 the canonical block N of this node's store
 *                 | {"content_id": "0x..."}             any stored block by content id
 *                 | null                                no predecessor (judge the first block alone)
 *                 (absent: the stored canonical block below the first block, when there is one)
 *    "registry": "node" | [epoch, ...]}                 this node's epoch registry (default) or an inline one
 *
 * Blocks are not typed here: a block with malformed fields is judged (MALFORMED_FIELD), not refused. The envelope is.
 */
import { z } from "zod";

import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";

/** Most blocks one request may carry (as a push). */
export const MAX_BLOCKS_PER_VALIDATION = 1000;

const contentId = z.string().regex(/^0x[0-9a-f]{64}$/, "a content id is 0x followed by 64 lowercase hex digits");

export const predecessorSchema = z.union([
  z.null(),
  z.object({ block: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ block_number: z.number().int().min(0).max(2_147_483_647) }).strict(),
  z.object({ content_id: contentId }).strict(),
]);

export const validateRequestSchema = z
  .object({
    blocks: z.array(z.unknown()).min(1, "no blocks in the request").max(MAX_BLOCKS_PER_VALIDATION, `at most ${MAX_BLOCKS_PER_VALIDATION} blocks per request`),
    predecessor: predecessorSchema.optional(),
    registry: z.union([z.literal("node"), z.array(z.unknown()).min(1, "an inline registry needs at least one epoch").max(1000)]).optional(),
  })
  .strict();

export type ValidateRequest = z.infer<typeof validateRequestSchema>;
export type PredecessorChoice = z.infer<typeof predecessorSchema>;

/** One line naming every problem zod found ("predecessor: ...; blocks: ..."). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? i.path.map(String).join(".") : "request";
      if (i.code === "unrecognized_keys") return `${where}: unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => JSON.stringify(k)).join(", ")}`;
      if (i.code === "invalid_union" && i.path[0] === "predecessor") {
        return `${where}: must be {"block": {...}}, {"block_number": N}, {"content_id": "0x..."} or null`;
      }
      if (i.code === "invalid_union" && i.path[0] === "registry") return `${where}: must be "node" or a JSON array of epochs`;
      return `${where}: ${i.message}`;
    })
    .join("; ");
}

/**
 * The request in a decoded REST body. Besides the envelope, a bare block or a bare array of blocks is accepted (as
 * POST /api/v1/blocks accepts them), meaning the defaults for predecessor and registry.
 */
export function validateRequestFromBody(body: unknown): ValidateRequest {
  let envelope: unknown;
  if (Array.isArray(body)) envelope = { blocks: body };
  else if (body && typeof body === "object" && "blocks" in body) envelope = body;
  else if (body && typeof body === "object") envelope = { blocks: [body] };
  else throw new AppError("INVALID_INPUT", `body must be {"blocks": [...]}, a block object or an array of blocks, got ${describeValue(body)}`);
  const parsed = validateRequestSchema.safeParse(envelope);
  if (!parsed.success) throw new AppError("INVALID_INPUT", describeIssues(parsed.error));
  return parsed.data;
}
