/** The governance area: its sub-navigation and the in-browser signing key shared by its pages. */
import type { ReactNode } from "react";

import { GovernanceNav } from "@/components/governance/governance-nav";
import { SigningKeyProvider } from "@/components/governance/signing-key";

export default function GovernanceLayout({ children }: { children: ReactNode }) {
  return (
    <SigningKeyProvider>
      <GovernanceNav />
      {children}
    </SigningKeyProvider>
  );
}
