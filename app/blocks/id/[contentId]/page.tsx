/**
 * Any stored block by content id (/blocks/id/0x...): the only address of a block that is not canonical (a rejected
 * copy or a competing branch), and a permanent one for canonical blocks too.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { BlockDetailView } from "@/components/blocks/block-detail-view";
import { shortHash } from "@/components/chain/format";
import { api } from "@/server/api/caller";

type Params = Promise<{ contentId: string }>;

const CONTENT_ID = /^0x[0-9a-f]{64}$/;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { contentId } = await params;
  return { title: CONTENT_ID.test(contentId) ? `Block ${shortHash(contentId)}` : "Block not found" };
}

export default async function BlockByContentIdPage({ params }: { params: Params }) {
  const contentId = decodeURIComponent((await params).contentId).toLowerCase();
  if (!CONTENT_ID.test(contentId)) notFound();
  const block = await api.blocks.byContentId({ contentId });
  if (!block) notFound();
  return <BlockDetailView block={block} />;
}
