/** Account (/governance/account): create, import, export and unlock the member's signing key, in the browser. */
import type { Metadata } from "next";

import { AccountPanel } from "@/components/governance/account-panel";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Account & keys" };

export default function AccountPage() {
  return (
    <>
      <PageHeader title="Account & keys" description="Hybrid Ed25519 + ML-DSA-65 keys. The secret never leaves this browser unencrypted; the server only sees signatures." />
      <AccountPanel />
    </>
  );
}
