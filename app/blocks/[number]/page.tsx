/** A canonical block by height (/blocks/N); 404 for anything that is not a stored canonical height. */
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { BlockDetailView } from "@/components/blocks/block-detail-view";
import { api } from "@/server/api/caller";

type Params = Promise<{ number: string }>;

/** A height as typed in the address: decimal digits only, within PostgreSQL's int4. */
function parseHeight(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n <= 2_147_483_647 ? n : null;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { number } = await params;
  return { title: parseHeight(number) === null ? "Block not found" : `Block ${number}` };
}

export default async function BlockByNumberPage({ params }: { params: Params }) {
  const height = parseHeight((await params).number);
  if (height === null) notFound();
  const block = await api.blocks.byNumber({ blockNumber: height });
  if (!block) notFound();
  return <BlockDetailView block={block} />;
}
