/** A canonical block by height (/blocks/N); 404 for anything that is not a stored canonical height. */
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { heightFromAddress } from "@/components/blocks/block-address";
import { BlockDetailView } from "@/components/blocks/block-detail-view";
import { api } from "@/server/api/caller";

type Params = Promise<{ number: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { number } = await params;
  return { title: heightFromAddress(number) === null ? "Block not found" : `Block ${number}` };
}

export default async function BlockByNumberPage({ params }: { params: Params }) {
  const height = heightFromAddress((await params).number);
  if (height === null) notFound();
  const block = await api.blocks.byNumber({ blockNumber: height });
  if (!block) notFound();
  return <BlockDetailView block={block} />;
}
