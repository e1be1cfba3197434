/** One proposal (/governance/proposals/<hash>): lifecycle, reviews, live tally, vote panel. */
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { ProposalView } from "@/components/governance/proposal-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Proposal" };

export default async function ProposalPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  if (!/^0x[0-9a-f]{64}$/.test(hash)) notFound();
  return (
    <>
      <PageHeader title="Proposal" />
      <ProposalView hash={hash} />
    </>
  );
}
