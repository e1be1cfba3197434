"use client";
/**
 * The dashboard's live part: chain status, pace charts, recent blocks, violations and reorgs, polled every
 * LIVE_REFRESH_MS through tRPC. The server page prefetches the same queries, so the first paint already has data and
 * the browser only takes over the polling.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { useTRPC } from "@/app/_trpc/react";
import { LineChart } from "@/components/charts/line-chart";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { StatCard } from "@/components/ui/stat-card";
import type { RecentViolation, ReorgRow } from "@/server/chain/block-query-types";
import type { PeerStatus } from "@/server/relay/relay-status";

import { BlockTable } from "../blocks/block-table";
import { SeverityBadge } from "../chain/badges";
import { BlockLink } from "../chain/block-link";
import { formatClockMs, formatDecimal, formatDuration, formatInteger, pluralBlocks, shortHash } from "../chain/format";
import { LiveIndicator } from "../chain/live-indicator";
import { LIVE_REFRESH_MS, RECENT_BLOCKS_INPUT, RECENT_REORGS_INPUT, RECENT_VIOLATIONS_INPUT, SERIES_INPUT } from "./dashboard-queries";

const LIVE = { refetchInterval: LIVE_REFRESH_MS, retry: false } as const;

const HEALTH_TONE = { HEALTHY: "good", DEGRADED: "warn", CRITICAL: "bad" } as const;

export function LiveDashboard() {
  const trpc = useTRPC();
  const status = useQuery(trpc.chain.status.queryOptions(undefined, LIVE));
  const recent = useQuery(trpc.blocks.list.queryOptions(RECENT_BLOCKS_INPUT, LIVE));
  const series = useQuery(trpc.blocks.series.queryOptions(SERIES_INPUT, LIVE));
  const violations = useQuery(trpc.chain.recentViolations.queryOptions(RECENT_VIOLATIONS_INPUT, LIVE));
  const reorgs = useQuery(trpc.chain.reorgs.queryOptions(RECENT_REORGS_INPUT, LIVE));
  const peers = useQuery(trpc.chain.peers.queryOptions(undefined, LIVE));

  const failed = [status, recent, series, violations, reorgs].find((q) => q.isError);
  const s = status.data;
  if (!s) {
    // Only reachable when the server's prefetch failed and the browser could not load either.
    return <LiveIndicator updatedAt={0} error={failed?.error ?? { message: "loading the chain status…" }} intervalMs={LIVE_REFRESH_MS} />;
  }

  const empty = s.current_block === null;
  const next = s.next_transition;
  return (
    <div className="space-y-4">
      <LiveIndicator updatedAt={status.dataUpdatedAt} error={failed?.error ?? null} intervalMs={LIVE_REFRESH_MS} />

      {empty ? (
        <div role="status" className="rounded-md border border-sky-800 bg-sky-950/40 px-4 py-3 text-sm text-sky-100">
          <p className="font-semibold">Waiting for the first block.</p>
          <p className="mt-1 text-sky-200/80">
            {s.worker_heartbeat_age_seconds === null
              ? "No worker has reported yet. `npm start` runs one beside the web server; `npm run worker` runs one alone."
              : "The worker is running. Blocks appear here as soon as they are stored: sealed by the devnet producer (when MATHLEDGER_DEVNET is on), imported with mathledger-cli import, or pushed to POST /api/v1/blocks. This page updates by itself."}
          </p>
        </div>
      ) : null}

      {/* Six figures: three columns keep the grid full (the shared StatGrid is four wide). */}
      <dl className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
        <StatCard
          label="Current block"
          value={
            empty ? (
              "—"
            ) : (
              <Link href={`/blocks/${s.current_block}`} className="rounded hover:underline" data-testid="current-block">
                #{formatInteger(s.current_block!)}
              </Link>
            )
          }
          detail={
            empty ? (
              "no block yet"
            ) : (
              <>
                <span className="font-mono" title={s.current_block_hash ?? undefined}>
                  {shortHash(s.current_block_hash)}
                </span>
                {s.seconds_since_last_block !== null ? ` · ${formatDuration(s.seconds_since_last_block)} ago` : ""}
              </>
            )
          }
        />
        <StatCard
          label="Current epoch"
          value={s.current_epoch ? s.current_epoch.rule_version : "—"}
          detail={
            s.current_epoch
              ? `${s.current_epoch.algorithm_name} · since block ${formatInteger(s.current_epoch.start_block)}`
              : "no epoch registry yet (the worker seeds it)"
          }
        />
        <StatCard
          label="Network health"
          tone={HEALTH_TONE[s.network_health]}
          value={<span data-testid="network-health">{s.network_health}</span>}
          detail={
            s.health_reasons.length ? (
              <ul className="list-inside list-disc">
                {s.health_reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            ) : (
              "worker alive, blocks on time, no violations among recent blocks"
            )
          }
        />
        <StatCard
          label="Blocks per minute"
          value={formatDecimal(s.blocks_per_minute)}
          detail={s.worker_heartbeat_age_seconds === null ? "no worker heartbeat" : `worker heartbeat ${formatDuration(s.worker_heartbeat_age_seconds)} ago`}
        />
        <StatCard
          label="Next transition"
          value={next ? `#${formatInteger(next.start_block)}` : "none scheduled"}
          detail={
            next ? (
              <>
                to {next.rule_version} ({next.algorithm_name}) in {pluralBlocks(next.blocks_remaining)}
                {s.next_transition_eta_seconds !== null ? `, ≈ ${formatDuration(s.next_transition_eta_seconds)}` : ", no pace to estimate from yet"}
              </>
            ) : (
              "the chain is in the last registered epoch"
            )
          }
        />
        <StatCard
          label="Chain validity"
          tone={s.recent_violations.CRITICAL + s.recent_violations.HIGH + s.recent_violations.MEDIUM > 0 ? "bad" : s.totals.invalid > 0 ? "warn" : "good"}
          value={s.totals.invalid === 0 ? "all blocks valid" : `${formatInteger(s.totals.invalid)} invalid rejected`}
          detail={
            <>
              {s.totals.invalid > 0 ? "invalid blocks are kept as evidence, off the canonical chain · " : ""}
              {formatInteger(s.totals.canonical)} canonical of {formatInteger(s.totals.blocks)} stored · {formatInteger(s.totals.violations)} violations ·{" "}
              {formatInteger(s.totals.reorgs)} reorgs
            </>
          }
        />
      </dl>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Statements per block">
          <LineChart
            title={series.data?.from != null ? `Blocks ${formatInteger(series.data.from)}–${formatInteger(series.data.to!)}` : "Last 60 blocks"}
            series={series.data ? [series.data.statements] : []}
            yFormat="integer"
            empty="No blocks yet."
          />
        </Card>
        <Card title="Seconds between blocks (as received)">
          <LineChart
            title={series.data?.from != null ? `Blocks ${formatInteger(series.data.from)}–${formatInteger(series.data.to!)}` : "Last 60 blocks"}
            series={series.data ? [series.data.interval] : []}
            yFormat="decimal"
            empty="Needs two blocks."
          />
        </Card>
      </div>

      <Card title="Recent blocks" actions={<Link href="/blocks" className="rounded text-xs text-sky-400 hover:underline">All blocks →</Link>}>
        <BlockTable caption="The 10 newest canonical blocks" captionHidden rows={recent.data?.rows ?? []} empty="Waiting for the first block." />
      </Card>

      {peers.data && peers.data.length > 0 ? <Peers rows={peers.data} /> : null}
      {violations.data && violations.data.length > 0 ? <RecentViolations rows={violations.data} /> : null}
      {reorgs.data && reorgs.data.length > 0 ? <RecentReorgs rows={reorgs.data} /> : null}
    </div>
  );
}

const SYNC_TONE: Record<PeerStatus["sync"], string> = {
  in_sync: "text-emerald-300",
  behind: "text-amber-300",
  ahead: "text-sky-300",
  diverged: "text-red-300",
  unreachable: "text-red-300",
  unknown: "text-slate-400",
};

/** The relay's peers (MATHLEDGER_PEERS): each one's tip as last learned and whether this node is in sync with it. */
function Peers({ rows }: { rows: readonly PeerStatus[] }) {
  return (
    <Card title="Peers">
      <DataTable
        caption="Peers this node relays blocks and governance decisions to, with their tips as last learned"
        rows={rows}
        rowKey={(r) => r.id}
        empty="No peers configured."
        columns={[
          { id: "id", header: "Peer", mono: true, cell: (r) => r.id },
          { id: "url", header: "URL", mono: true, cell: (r) => r.url },
          {
            id: "tip",
            header: "Tip (last learned)",
            mono: true,
            cell: (r) => (r.tip_block === null ? (r.tip_learned_at ? "no blocks" : "—") : <span title={r.tip_hash ?? undefined}>#{formatInteger(r.tip_block)} {shortHash(r.tip_hash)}</span>),
          },
          { id: "sync", header: "This node", cell: (r) => <span className={SYNC_TONE[r.sync]}>{r.sync_summary}</span> },
          { id: "pending", header: "Pending", align: "right", mono: true, cell: (r) => formatInteger(r.pending) },
          { id: "sent", header: "Blocks sent", align: "right", mono: true, cell: (r) => formatInteger(r.blocks_sent) },
          { id: "received", header: "Blocks received", align: "right", mono: true, cell: (r) => formatInteger(r.blocks_received) },
        ]}
      />
    </Card>
  );
}

function RecentViolations({ rows }: { rows: readonly RecentViolation[] }) {
  return (
    <Card title="Recent violations">
      <DataTable
        caption="Violations of the most recently received blocks"
        captionHidden
        rows={rows}
        rowKey={(r) => `${r.content_id}:${r.code}:${r.field ?? ""}`}
        empty="None."
        columns={[
          { id: "block", header: "Block", align: "right", mono: true, cell: (r) => <BlockLink block={r} /> },
          { id: "severity", header: "Severity", cell: (r) => <SeverityBadge severity={r.severity} /> },
          { id: "code", header: "Code", mono: true, cell: (r) => r.code },
          { id: "message", header: "Message", cell: (r) => r.message },
          { id: "source", header: "Source", cell: (r) => r.source },
          { id: "received", header: "Received", mono: true, cell: (r) => formatClockMs(r.received_at) },
        ]}
      />
    </Card>
  );
}

function RecentReorgs({ rows }: { rows: readonly ReorgRow[] }) {
  return (
    <Card title="Recent reorgs">
      <DataTable
        caption="The latest switches of the canonical tip to a competing branch"
        captionHidden
        rows={rows}
        rowKey={(r) => r.id}
        empty="None."
        columns={[
          { id: "when", header: "Detected", mono: true, cell: (r) => formatClockMs(r.detected_at) },
          { id: "fork", header: "Fork point", align: "right", mono: true, cell: (r) => `#${formatInteger(r.fork_point_block)}` },
          { id: "old", header: "Old tip", mono: true, cell: (r) => `#${formatInteger(r.old_tip_block)} ${shortHash(r.old_tip_hash)}` },
          { id: "new", header: "New tip", mono: true, cell: (r) => `#${formatInteger(r.new_tip_block)} ${shortHash(r.new_tip_hash)}` },
          { id: "moved", header: "Rolled back / added", align: "right", mono: true, cell: (r) => `${r.rolled_back_count} / ${r.added_count}` },
        ]}
      />
    </Card>
  );
}

