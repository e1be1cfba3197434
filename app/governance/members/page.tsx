/** Members (/governance/members): the registry from the genesis, with roles, voting power and public keys. */
import type { Metadata } from "next";

import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { shortHash } from "@/components/chain/format";
import { api } from "@/server/api/caller";

export const metadata: Metadata = { title: "Members" };
export const dynamic = "force-dynamic";

export default async function MembersPage() {
  const data = await api.governance.members();
  return (
    <>
      <PageHeader title="Members" description={`Network ${data.network_id} · voting ${data.params.voting_period_seconds} s · activation lead ${data.params.activation_lead_blocks} blocks · genesis ${shortHash(data.genesis_hash)}`} />
      <DataTable
        caption="Governance members"
        captionHidden
        rows={data.members}
        rowKey={(m) => m.id}
        empty="No members."
        columns={[
          { id: "id", header: "Id", mono: true, cell: (m) => m.id },
          { id: "name", header: "Name", cell: (m) => m.name },
          { id: "roles", header: "Roles", cell: (m) => m.roles.join(", ") },
          { id: "power", header: "Voting power", align: "right", mono: true, cell: (m) => m.voting_power },
          { id: "ed", header: "Ed25519", mono: true, cell: (m) => shortHash(m.keys.ed25519) },
          { id: "ml", header: "ML-DSA-65", mono: true, cell: (m) => shortHash(m.keys.ml_dsa_65) },
        ]}
      />
    </>
  );
}
