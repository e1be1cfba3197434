/**
 * A stored block in full: verdict and chain position, every header field (both roots, both prev-hashes, the dual
 * commitment, both block hashes), every violation, the statements with their in-browser inclusion proofs, the other
 * blocks stored at the same height, and for rejected blocks the JSON exactly as received. Server component.
 */
import Link from "next/link";
import type { ReactNode } from "react";

import { DownloadLinks } from "@/components/export/download-links";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import type { BlockDetail, SiblingBlock, ViolationRow } from "@/server/chain/block-query-types";

import { Badge, CanonicalBadge, SeverityBadge, VerdictBadge } from "../chain/badges";
import { BlockLink } from "../chain/block-link";
import { formatDateTimeMs, formatInteger, formatUnixSeconds, shortHash } from "../chain/format";
import { StatementList } from "./statement-list";

export function BlockDetailView({ block }: { block: BlockDetail }) {
  const pqName = block.pq_algorithm_name ?? (block.pq_algorithm !== null ? `unknown id ${block.pq_algorithm}` : null);
  return (
    <>
      <PageHeader
        title={`Block ${formatInteger(block.block_number)}`}
        description={
          <span className="flex flex-wrap items-center gap-1.5">
            <VerdictBadge verdict={block.verdict} />
            <CanonicalBadge canonical={block.canonical} />
            {block.epoch ? <Badge tone="info">{block.epoch.rule_version}</Badge> : <Badge tone="warn">no epoch</Badge>}
            <span>
              sealed {formatUnixSeconds(block.timestamp)} · received {formatDateTimeMs(block.received_at)} via {block.source}
            </span>
          </span>
        }
        actions={
          <nav aria-label="Neighbouring blocks" className="flex gap-2 text-sm">
            {block.previous_canonical !== null ? (
              <Link href={`/blocks/${block.previous_canonical}`} className="rounded border border-slate-700 px-2 py-1 text-sky-300 hover:bg-slate-800">
                ← #{formatInteger(block.previous_canonical)}
              </Link>
            ) : null}
            {block.next_canonical !== null ? (
              <Link href={`/blocks/${block.next_canonical}`} className="rounded border border-slate-700 px-2 py-1 text-sky-300 hover:bg-slate-800">
                #{formatInteger(block.next_canonical)} →
              </Link>
            ) : null}
          </nav>
        }
      />

      {!block.canonical ? (
        <p role="note" className="mb-4 rounded-md border border-amber-800 bg-amber-950/40 px-3 py-2 text-sm text-amber-100">
          {block.verdict === "INVALID"
            ? "This block failed validation and is not part of the canonical chain; it is kept as evidence together with every violation found."
            : "This block is valid but not on the canonical chain: it sits on a competing branch that fork choice did not adopt (or that a reorg replaced)."}
          {block.siblings.some((s) => s.canonical) ? " The canonical block at this height is listed below." : ""}
        </p>
      ) : null}

      <div className="space-y-4">
        <Card title="Header">
          <dl className="grid gap-x-4 gap-y-1.5 text-sm md:grid-cols-[19rem_1fr]">
            <Field label="Block number" name="block_number">
              {formatInteger(block.block_number)}
            </Field>
            <Field label="Timestamp" name="timestamp">
              {block.timestamp} <span className="text-slate-400">({formatUnixSeconds(block.timestamp)})</span>
            </Field>
            <Field label="Epoch">
              {block.epoch
                ? `${block.epoch.rule_version} · ${block.epoch.algorithm_name} · blocks ${formatInteger(block.epoch.start_block)}–${block.epoch.end_block === null ? "open" : formatInteger(block.epoch.end_block)}`
                : "no epoch in the registry covers this height"}
            </Field>
            <Field label="Legacy prev-hash (SHA-256)" name="prev_hash" hash>
              {block.prev_hash}
            </Field>
            <Field label={`PQ prev-hash${pqName ? ` (${pqName})` : ""}`} name="pq_prev_hash" hash>
              {block.pq_prev_hash}
            </Field>
            <Field label="Legacy Merkle root (SHA-256)" name="merkle_root" hash>
              {block.merkle_root}
            </Field>
            <Field label={`PQ Merkle root${pqName ? ` (${pqName})` : ""}`} name="pq_merkle_root" hash>
              {block.pq_merkle_root}
            </Field>
            <Field label="PQ algorithm" name="pq_algorithm">
              {block.pq_algorithm === null ? null : `0x${block.pq_algorithm.toString(16).padStart(2, "0")} ${block.pq_algorithm_name ?? "(not a registered algorithm)"}`}
            </Field>
            <Field label="Dual commitment" name="dual_commitment" hash>
              {block.dual_commitment}
            </Field>
            <Field label="Block hash (SHA-256)" hash>
              {block.legacy_hash}
            </Field>
            <Field label={`Block hash${pqName ? ` (${pqName})` : " (PQ)"}`} hash>
              {block.pq_hash}
            </Field>
            <Field label="Content id" hash>
              {block.content_id}
            </Field>
            <Field label="Statements" name="statements">
              {formatInteger(block.statement_count)}
            </Field>
          </dl>
        </Card>

        <Card
          title={`Violations (${block.violations.length})`}
          actions={<DownloadLinks what="violations" href={(format) => `/api/v1/blocks/violations/export?format=${format}&content_id=${block.content_id}`} />}
        >
          <ViolationsTable violations={block.violations} ruleVersion={block.epoch?.rule_version ?? null} />
        </Card>

        <Card title={`Statements (${formatInteger(block.statements.length)})`}>
          <StatementList statements={block.statements} merkleRoot={block.merkle_root} pqAlgorithm={block.pq_algorithm} pqMerkleRoot={block.pq_merkle_root} />
        </Card>

        {block.siblings.length > 0 ? (
          <Card title={`Other blocks at height ${formatInteger(block.block_number)} (${block.siblings.length})`}>
            <SiblingsTable siblings={block.siblings} blockNumber={block.block_number} />
          </Card>
        ) : null}

        {block.raw_json !== null ? (
          <Card title="Block as received">
            <details>
              <summary className="cursor-pointer rounded text-sm text-sky-300">Show the JSON exactly as this node received it</summary>
              <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-950 p-2 text-xs text-slate-300">{block.raw_json}</pre>
            </details>
          </Card>
        ) : null}
      </div>
    </>
  );
}

function Field({ label, name, hash = false, children }: { label: string; name?: string; hash?: boolean; children: ReactNode }) {
  const absent = children === null || children === undefined;
  return (
    <>
      <dt className="text-slate-400">
        {label}
        {name ? <code className="ml-1 text-xs text-slate-500">{name}</code> : null}
      </dt>
      <dd className={hash ? "break-all font-mono text-xs leading-5 text-slate-200" : "text-slate-200"}>
        {absent ? <span className="text-slate-500">— absent</span> : children}
      </dd>
    </>
  );
}

function ViolationsTable({ violations, ruleVersion }: { violations: readonly ViolationRow[]; ruleVersion: string | null }) {
  return (
    <DataTable
      caption="Every rule this block broke, most severe first"
      captionHidden
      rows={violations}
      rowKey={(v) => `${v.code}:${v.field ?? ""}:${v.message}`}
      empty={`No violations: the block passed every check${ruleVersion ? ` of rule version ${ruleVersion}` : ""}.`}
      columns={[
        { id: "code", header: "Code", mono: true, cell: (v) => v.code },
        { id: "severity", header: "Severity", cell: (v) => <SeverityBadge severity={v.severity} /> },
        { id: "field", header: "Field", mono: true, cell: (v) => v.field ?? "—" },
        { id: "expected", header: "Expected", mono: true, cell: (v) => <span className="break-all">{v.expected ?? "—"}</span> },
        { id: "actual", header: "Actual", mono: true, cell: (v) => <span className="break-all">{v.actual ?? "—"}</span> },
        { id: "message", header: "Message", cell: (v) => v.message },
      ]}
    />
  );
}

function SiblingsTable({ siblings, blockNumber }: { siblings: readonly SiblingBlock[]; blockNumber: number }) {
  return (
    <DataTable
      caption="Other stored blocks at this height: the canonical one, competing branches, rejected copies"
      captionHidden
      rows={siblings}
      rowKey={(s) => s.content_id}
      empty="None."
      columns={[
        {
          id: "content",
          header: "Content id",
          mono: true,
          cell: (s) => <BlockLink block={{ ...s, block_number: blockNumber }}>{shortHash(s.content_id, 8)}</BlockLink>,
        },
        { id: "chain", header: "Chain", cell: (s) => <CanonicalBadge canonical={s.canonical} /> },
        { id: "verdict", header: "Verdict", cell: (s) => <VerdictBadge verdict={s.verdict} /> },
        { id: "violations", header: "Violations", align: "right", mono: true, cell: (s) => s.violation_count },
        { id: "statements", header: "Statements", align: "right", mono: true, cell: (s) => s.statement_count },
        { id: "hash", header: "SHA-256 hash", mono: true, cell: (s) => <span title={s.legacy_hash}>{shortHash(s.legacy_hash)}</span> },
        { id: "source", header: "Source", cell: (s) => s.source },
        { id: "received", header: "Received", mono: true, cell: (s) => formatDateTimeMs(s.received_at) },
      ]}
    />
  );
}
