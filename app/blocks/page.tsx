/** Blocks (/blocks). Seam for the paginated block explorer; block detail goes in app/blocks/[number]/page.tsx. */
import type { Metadata } from "next";

import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Blocks" };

export default function BlocksPage() {
  return <PageHeader title="Blocks" />;
}
