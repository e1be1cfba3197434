"use client";
/**
 * The epochs page's content, kept live: where the tip stands relative to the next activation (progress bar and
 * estimate), a timeline of the registry along the chain's heights, the registry itself, and each transition with the
 * block that opened it once the chain has passed it.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { useTRPC } from "@/app/_trpc/react";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import type { EpochFirstBlock, EpochsOverview } from "@/server/chain/block-query-types";

import { Badge } from "../chain/badges";
import { formatDecimal, formatDuration, formatInteger, formatUnixSeconds, pluralBlocks, shortHash } from "../chain/format";
import { LiveIndicator } from "../chain/live-indicator";
import { EpochTimeline } from "./epoch-timeline";

export const EPOCHS_REFRESH_MS = 2_000;

export function EpochsLive() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.epochs.overview.queryOptions(undefined, { refetchInterval: EPOCHS_REFRESH_MS, retry: false }));
  const data = overview.data;
  if (!data) return <LiveIndicator updatedAt={0} error={overview.error ?? { message: "loading the epoch registry…" }} intervalMs={EPOCHS_REFRESH_MS} />;
  return (
    <div className="space-y-4">
      <LiveIndicator updatedAt={overview.dataUpdatedAt} error={overview.error} intervalMs={EPOCHS_REFRESH_MS} />
      {data.epochs.length === 0 ? (
        <div role="status" className="rounded-md border border-sky-800 bg-sky-950/40 px-4 py-3 text-sm text-sky-100">
          No epoch registry yet: the worker seeds the default registry (legacy from genesis, then a dual SHA3-256 epoch) when
          it first starts. This page updates by itself.
        </div>
      ) : (
        <>
          <ActivationProgress position={data.position} />
          <Card title="Timeline">
            <EpochTimeline epochs={data.epochs} tip={data.position.tip} />
          </Card>
          <Card title="Registry">
            <RegistryTable epochs={data.epochs} />
          </Card>
          <Card title="Transitions">
            <TransitionsTable transitions={data.transitions} tip={data.position.tip} />
          </Card>
        </>
      )}
    </div>
  );
}

function ActivationProgress({ position }: { position: EpochsOverview["position"] }) {
  const next = position.next_activation;
  const current = position.current_epoch;
  if (!next) {
    return (
      <Card title="Next activation">
        <p className="text-sm text-slate-300" data-testid="activation-status">
          No transition scheduled: the chain {position.tip === null ? "will start" : "is"} in its last registered epoch
          {current ? ` (${current.rule_version}, ${current.algorithm_name}, since block ${formatInteger(current.start_block)})` : ""}.
        </p>
      </Card>
    );
  }
  const from = current?.start_block ?? 0;
  const span = next.block_number - from;
  const done = Math.max(0, Math.min(span, position.tip === null ? 0 : position.tip - from + 1));
  const percent = Math.round((position.progress ?? 0) * 1000) / 10;
  return (
    <Card title="Next activation">
      <div className="space-y-2" data-testid="activation-status">
        <p className="text-sm text-slate-200">
          Block <strong className="font-mono">#{formatInteger(next.block_number)}</strong> activates{" "}
          <strong>{next.to.rule_version}</strong> ({next.to.algorithm_name}), {next.kind} from {next.from.rule_version}.
        </p>
        <div
          role="progressbar"
          aria-label={`Progress towards the activation at block ${next.block_number}`}
          aria-valuemin={0}
          aria-valuemax={span}
          aria-valuenow={done}
          aria-valuetext={`${percent}%: ${pluralBlocks(position.blocks_remaining ?? 0)} remaining`}
          className="h-3 w-full overflow-hidden rounded-full border border-slate-700 bg-slate-900"
        >
          <div className="h-full bg-sky-500 motion-safe:transition-[width] motion-safe:duration-500" style={{ width: `${percent}%` }} />
        </div>
        <p className="flex flex-wrap justify-between gap-2 text-xs text-slate-400">
          <span>
            epoch start #{formatInteger(from)} · tip {position.tip === null ? "none yet" : `#${formatInteger(position.tip)}`} · {percent}%
          </span>
          <span>
            <strong className="text-slate-200">{pluralBlocks(position.blocks_remaining ?? 0)} remaining</strong>
            {position.eta_seconds !== null
              ? `, ≈ ${formatDuration(position.eta_seconds)} at ${formatDecimal(position.blocks_per_minute)} blocks/min`
              : ", no recent pace to estimate from"}
          </span>
        </p>
      </div>
    </Card>
  );
}

function FirstBlock({ block }: { block: EpochFirstBlock }) {
  return (
    <span className="flex flex-col">
      <Link href={`/blocks/${block.block_number}`} className="rounded text-sky-400 hover:underline">
        #{formatInteger(block.block_number)}
      </Link>
      <span className="text-slate-400" title={block.legacy_hash}>
        SHA-256 {shortHash(block.legacy_hash)}
      </span>
      {block.pq_hash ? (
        <span className="text-slate-400" title={block.pq_hash}>
          PQ {shortHash(block.pq_hash)}
        </span>
      ) : null}
    </span>
  );
}

function RegistryTable({ epochs }: { epochs: EpochsOverview["epochs"] }) {
  return (
    <DataTable
      caption="The epoch registry: which rules and hash algorithm govern each range of heights"
      captionHidden
      rows={epochs}
      rowKey={(e) => e.start_block}
      empty="No epochs."
      columns={[
        { id: "start", header: "Start", align: "right", mono: true, cell: (e) => formatInteger(e.start_block) },
        { id: "end", header: "End", align: "right", mono: true, cell: (e) => (e.end_block === null ? "open" : formatInteger(e.end_block)) },
        { id: "rules", header: "Rule version", cell: (e) => <Badge tone="info">{e.rule_version}</Badge> },
        { id: "algorithm", header: "Algorithm", cell: (e) => `${e.algorithm_name} (0x${e.algorithm_id.toString(16).padStart(2, "0")})` },
        { id: "activation", header: "Activation time", mono: true, cell: (e) => formatUnixSeconds(e.activation_timestamp) },
        {
          id: "governance",
          header: "Governance hash",
          mono: true,
          cell: (e) => (e.governance_hash ? <span title={e.governance_hash}>{shortHash(e.governance_hash)}</span> : <span className="text-slate-400">genesis config</span>),
        },
        {
          id: "first",
          header: "First block",
          mono: true,
          cell: (e) => (e.first_block ? <FirstBlock block={e.first_block} /> : <span className="text-slate-400">not reached</span>),
        },
      ]}
    />
  );
}

function TransitionsTable({ transitions, tip }: { transitions: EpochsOverview["transitions"]; tip: number | null }) {
  return (
    <DataTable
      caption="Epoch transitions and the block that opened each one"
      captionHidden
      rows={transitions}
      rowKey={(t) => t.block_number}
      empty="The registry has a single epoch: no transitions."
      columns={[
        { id: "at", header: "At block", align: "right", mono: true, cell: (t) => formatInteger(t.block_number) },
        { id: "kind", header: "Kind", cell: (t) => t.kind },
        {
          id: "change",
          header: "Change",
          cell: (t) => (
            <span className="whitespace-nowrap">
              {t.from.rule_version} ({t.from.algorithm_name}) → <strong>{t.to.rule_version}</strong> ({t.to.algorithm_name})
            </span>
          ),
        },
        {
          id: "seen",
          header: "Seen in the chain",
          mono: true,
          cell: (t) =>
            t.seen ? (
              <span className="flex items-start gap-2">
                <Badge tone="good">✓ seen</Badge>
                <FirstBlock block={t.seen} />
              </span>
            ) : tip !== null && tip >= t.block_number ? (
              <Badge tone="warn">passed, first block not stored</Badge>
            ) : (
              <span className="text-slate-400">not yet{tip !== null ? ` (in ${pluralBlocks(t.block_number - tip)})` : ""}</span>
            ),
        },
      ]}
    />
  );
}
