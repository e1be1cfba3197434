/**
 * Any stored block by content id (/blocks/id/0x...): the only address of a block that is not canonical (a rejected
 * copy or a competing branch), and a permanent one for canonical blocks too.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { contentIdFromAddress } from "@/components/blocks/block-address";
import { BlockDetailView } from "@/components/blocks/block-detail-view";
import { shortHash } from "@/components/chain/format";
import { api } from "@/server/api/caller";

type Params = Promise<{ contentId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { contentId } = await params;
  const id = contentIdFromAddress(contentId);
  return { title: id ? `Block ${shortHash(id)}` : "Block not found" };
}

export default async function BlockByContentIdPage({ params }: { params: Params }) {
  const contentId = contentIdFromAddress((await params).contentId);
  if (contentId === null) notFound();
  const block = await api.blocks.byContentId({ contentId });
  if (!block) notFound();
  return <BlockDetailView block={block} />;
}
