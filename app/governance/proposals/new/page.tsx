/** New proposal (/governance/proposals/new): the plan's fields, checked live against the consensus core, signed here. */
import type { Metadata } from "next";

import { NewProposalForm } from "@/components/governance/new-proposal-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New proposal" };

export default function NewProposalPage() {
  return (
    <>
      <PageHeader
        title="New proposal"
        description="An epoch activation for the network to review and vote on. Needs a key with the proposer role; the node checks it again when it arrives."
      />
      <NewProposalForm />
    </>
  );
}
