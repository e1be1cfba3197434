/** Governance (/governance): the proposals, live, with a status filter. */
import type { Metadata } from "next";
import Link from "next/link";

import { ProposalsList } from "@/components/governance/proposals-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Governance" };

export default function GovernancePage() {
  return (
    <>
      <PageHeader
        title="Governance"
        description="Activation proposals: review, signed votes, exact tally, activation in the epoch registry."
        actions={
          <Link href="/governance/proposals/new" className="rounded border border-sky-700 bg-sky-900 px-3 py-1.5 text-sm text-sky-50 hover:bg-sky-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-300">
            New proposal
          </Link>
        }
      />
      <ProposalsList />
    </>
  );
}
