/** Benchmarks (/benchmarks): not built yet; the page says so rather than showing placeholder data. */
import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Benchmarks" };

export default function BenchmarksPage() {
  return (
    <>
      <PageHeader title="Benchmarks" />
      <NotBuiltYet area="Benchmarks" />
    </>
  );
}
