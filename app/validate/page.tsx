/**
 * Validate (/validate): ask this node "is this block valid, and under which rules?" without pushing anything. The
 * blocks are judged by POST /api/v1/validate (the consensus core, as ingest judges, nothing written); the workbench
 * is a client component because reading files, batching and the browser cross-check happen in the browser.
 */
import type { Metadata } from "next";

import { PageHeader } from "@/components/ui/page-header";
import { ValidateWorkbench } from "@/components/validate/validate-workbench";
import { readConfig } from "@/server/config";

export const metadata: Metadata = { title: "Validate" };
export const dynamic = "force-dynamic";

export default function ValidatePage() {
  const maxRequestBytes = readConfig().MATHLEDGER_MAX_PUSH_BYTES;
  return (
    <>
      <PageHeader
        title="Validate"
        description="Check blocks against the consensus rules of their epochs (this node's registry or one you paste), without storing anything."
      />
      <ValidateWorkbench maxRequestBytes={maxRequestBytes} />
      <p className="mt-4 text-xs text-slate-400">
        Scripts can ask the same question: <code>POST /api/v1/validate</code> with <code>{'{"blocks": [...]}'}</code> (no token; add{" "}
        <code>?format=csv</code> for a download), or <code>mathledger-cli validate-block --file FILE --server URL</code>.
      </p>
    </>
  );
}
