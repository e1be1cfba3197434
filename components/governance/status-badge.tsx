/** Proposal, attestation and emergency states as labelled badges (text, never colour alone). */
import { Badge } from "@/components/chain/badges";

const TONES: Record<string, "good" | "bad" | "warn" | "info" | "muted"> = {
  SUBMITTED: "info",
  UNDER_REVIEW: "info",
  VOTING: "warn",
  APPROVED: "good",
  SCHEDULED: "good",
  ACTIVATED: "good",
  REJECTED: "bad",
  EXPIRED: "muted",
  PENDING: "warn",
  VERIFIED: "good",
  INSUFFICIENT: "bad",
  DECLARED: "bad",
  ROLLED_BACK: "muted",
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "muted"}>{status.replace("_", " ")}</Badge>;
}
