/** Governance (/governance): the proposals, live, with a status filter. */
import type { Metadata } from "next";

import { ProposalsList } from "@/components/governance/proposals-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Governance" };

export default function GovernancePage() {
  return (
    <>
      <PageHeader title="Governance" description="Activation proposals: review, signed votes, exact tally, activation in the epoch registry." />
      <ProposalsList />
    </>
  );
}
