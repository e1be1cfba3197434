"use client";
/** The audit log (newest entries first) and a check of its hash chain. */
import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/app/_trpc/react";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { formatUnixSeconds, shortHash } from "@/components/chain/format";

export function AuditView() {
  const trpc = useTRPC();
  const log = useQuery(trpc.governance.auditLog.queryOptions({ limit: 1000 }, { refetchInterval: 5_000 }));
  const check = useQuery(trpc.governance.verifyAuditLog.queryOptions(undefined, { refetchInterval: 10_000 }));
  return (
    <div className="space-y-4">
      <p role="status" className={`text-sm ${check.data?.ok === false ? "text-rose-300" : "text-emerald-300"}`}>
        {check.data ? (check.data.ok ? `Hash chain intact: ${check.data.entries} entries, head ${shortHash(check.data.head)}.` : `Hash chain BROKEN at entry ${check.data.seq}: ${check.data.reason}`) : "Checking the hash chain…"}
      </p>
      <Card title="Entries">
        <DataTable
          caption="Governance audit log"
          captionHidden
          rows={[...(log.data ?? [])].reverse()}
          rowKey={(e) => e.seq}
          empty="No governance events yet."
          columns={[
            { id: "seq", header: "#", align: "right", mono: true, cell: (e) => e.seq },
            { id: "event", header: "Event", cell: (e) => e.event },
            { id: "payload", header: "Details", cell: (e) => <code className="break-all text-xs">{JSON.stringify(e.payload).slice(0, 160)}</code> },
            { id: "at", header: "At", cell: (e) => formatUnixSeconds(e.created_at) },
            { id: "hash", header: "Entry hash", mono: true, cell: (e) => shortHash(e.entry_hash) },
          ]}
        />
      </Card>
    </div>
  );
}
