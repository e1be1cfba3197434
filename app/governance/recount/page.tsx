/** Recount (/governance/recount): verify an exported bundle and recount its tally in the browser. */
import type { Metadata } from "next";

import { RecountView } from "@/components/governance/recount-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Recount" };

export default function RecountPage() {
  return (
    <>
      <PageHeader title="Recount" description="Re-verifies every signature and recomputes the tally here, offline." />
      <RecountView />
    </>
  );
}
