/** Audit log (/governance/audit): every governance event, hash-chained, with a live chain check. */
import type { Metadata } from "next";

import { AuditView } from "@/components/governance/audit-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Each entry commits to the one before it (SHA3-256): an edited row breaks the chain." />
      <AuditView />
    </>
  );
}
