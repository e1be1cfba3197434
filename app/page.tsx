/**
 * Dashboard (/). Seam for the live network view: load through `api` / `prefetch` from @/server/api/caller, show
 * figures with components/ui/stat-card, recent blocks with components/ui/data-table, series with
 * components/charts/line-chart; live refresh belongs in a client component polling through useTRPC().
 */
import { PageHeader } from "@/components/ui/page-header";

export default function DashboardPage() {
  return <PageHeader title="Dashboard" />;
}
