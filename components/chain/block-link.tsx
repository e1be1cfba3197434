/**
 * Where a stored block's detail lives: canonical blocks by height (/blocks/N), any other stored block by content id
 * (/blocks/id/0x...), since a height alone does not tell a rejected copy from the canonical block.
 */
import Link from "next/link";
import type { ReactNode } from "react";

export function blockHref(block: { block_number: number; canonical: boolean; content_id: string }): string {
  return block.canonical ? `/blocks/${block.block_number}` : `/blocks/id/${block.content_id}`;
}

export function BlockLink({
  block,
  children,
  className = "",
}: {
  block: { block_number: number; canonical: boolean; content_id: string };
  children?: ReactNode;
  className?: string;
}) {
  return (
    <Link href={blockHref(block)} className={`rounded text-sky-400 hover:underline ${className}`}>
      {children ?? `#${block.block_number}`}
    </Link>
  );
}
