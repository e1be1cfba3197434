/** Epochs (/epochs). Seam for the epoch registry, the transitions seen and the distance to the next activation. */
import type { Metadata } from "next";

import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Epochs" };

export default function EpochsPage() {
  return <PageHeader title="Epochs" />;
}
