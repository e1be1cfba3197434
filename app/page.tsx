/**
 * Dashboard (/): the live network view and the operator's drift radar. The server loads every query once (so the
 * first paint has real data and a database outage reaches the error boundary), then <LiveDashboard> keeps them fresh
 * by polling through tRPC and <RadarView> by server-sent events.
 */
import { LiveDashboard } from "@/components/dashboard/live-dashboard";
import {
  RECENT_BLOCKS_INPUT,
  RECENT_REORGS_INPUT,
  RECENT_VIOLATIONS_INPUT,
  SERIES_INPUT,
} from "@/components/dashboard/dashboard-queries";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient } from "@/app/_trpc/hydrate-client";
import { getQueryClient, trpc } from "@/server/api/caller";
import { RadarView } from "@/components/radar/radar-view";
import { getPgPool } from "@/server/db/pg-pool";
import { getRadarSnapshot } from "@/server/drift/radar-snapshot";
import { readConfig } from "@/server/config";

export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  const queryClient = getQueryClient();
  // fetchQuery (not prefetchQuery) so that a failure throws into app/error.tsx instead of rendering an empty page.
  const [radar] = await Promise.all([
    getPgPool().then((pool) => getRadarSnapshot(pool, { expectedIntervalSeconds: readConfig().MATHLEDGER_DEVNET_INTERVAL })),
    queryClient.fetchQuery(trpc.chain.status.queryOptions()),
    queryClient.fetchQuery(trpc.blocks.list.queryOptions(RECENT_BLOCKS_INPUT)),
    queryClient.fetchQuery(trpc.blocks.series.queryOptions(SERIES_INPUT)),
    queryClient.fetchQuery(trpc.chain.recentViolations.queryOptions(RECENT_VIOLATIONS_INPUT)),
    queryClient.fetchQuery(trpc.chain.reorgs.queryOptions(RECENT_REORGS_INPUT)),
    queryClient.fetchQuery(trpc.chain.peers.queryOptions()),
  ]);
  return (
    <>
      <PageHeader title="Dashboard" description="The network as this node sees it: tip, epoch, health, pace and the latest blocks." />
      <div className="space-y-6">
        <HydrateClient>
          <LiveDashboard />
        </HydrateClient>
        {/* The drift radar: live by server push (SSE), not by the polling above. */}
        <RadarView initial={radar} />
      </div>
    </>
  );
}
