/** 404 inside the block explorer: the address names no stored block. */
import Link from "next/link";

import { GoToBlockForm } from "@/components/blocks/go-to-block-form";
import { PageHeader } from "@/components/ui/page-header";

export default function BlockNotFound() {
  return (
    <>
      <PageHeader title="Block not found" />
      <p className="mb-4 text-sm text-slate-400">
        No stored block has this height or content id. A height above the tip has not been produced yet; a block that was
        never received is not stored. <Link href="/blocks" className="rounded text-sky-400 underline">Browse the blocks</Link> or look one up:
      </p>
      <GoToBlockForm />
    </>
  );
}
