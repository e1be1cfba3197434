/** Epochs (/epochs): the epoch registry, the transitions seen in the chain and the distance to the next activation. */
import type { Metadata } from "next";

import { EpochsLive } from "@/components/epochs/epochs-live";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient } from "@/app/_trpc/hydrate-client";
import { getQueryClient, trpc } from "@/server/api/caller";

export const metadata: Metadata = { title: "Epochs" };
export const dynamic = "force-dynamic";

export default async function EpochsPage() {
  // fetchQuery so a database failure reaches app/error.tsx; the client component then keeps the data live.
  await getQueryClient().fetchQuery(trpc.epochs.overview.queryOptions());
  return (
    <>
      <PageHeader title="Epochs" description="Which rules and hash algorithm govern each range of blocks, and where the chain stands." />
      <HydrateClient>
        <EpochsLive />
      </HydrateClient>
    </>
  );
}
