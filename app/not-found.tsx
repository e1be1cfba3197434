import Link from "next/link";

import { PageHeader } from "@/components/ui/page-header";

export default function NotFound() {
  return (
    <>
      <PageHeader title="Not found" />
      <p className="text-sm text-slate-400">
        There is no page at this address. <Link href="/" className="text-sky-400 underline">Go to the dashboard</Link>.
      </p>
    </>
  );
}
