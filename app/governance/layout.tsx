/** The governance area: its sub-navigation (the signing key provider is in the root layout, shared with /council). */
import type { ReactNode } from "react";

import { GovernanceNav } from "@/components/governance/governance-nav";

export default function GovernanceLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <GovernanceNav />
      {children}
    </>
  );
}
