/** Council (/council): attestations and emergencies with signature progress n/7, and signing for council members. */
import type { Metadata } from "next";

import { CouncilView } from "@/components/governance/council-view";
import { GovernanceNav } from "@/components/governance/governance-nav";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Council" };

export default function CouncilPage() {
  return (
    <>
      <GovernanceNav />
      <PageHeader title="Council" description="Milestone attestations and emergency declarations: 5 of 7 council signatures." />
      <CouncilView />
    </>
  );
}
