/**
 * The plan's rollback rehearsal checklist (PLAN.md §5, "Rollback Rehearsal Checklist (`rollback_rehearsal.md`)"), as
 * data: each item is ticked by `npm run rehearsal` with what it measured, or marked as one a script cannot judge
 * (communication is for the people taking part). Pure: no I/O; scripts/rehearsal.ts fills it in and prints it.
 */

export type ItemState = "pending" | "pass" | "fail" | "manual";

export interface ChecklistItem {
  /** The plan's wording, verbatim. */
  text: string;
  state: ItemState;
  /** What was measured or why it failed. */
  detail: string;
}

export interface ChecklistSection {
  title: string;
  items: ChecklistItem[];
}

const item = (text: string): ChecklistItem => ({ text, state: "pending", detail: "" });

/** A fresh copy of the plan's checklist, every item pending. */
export function planChecklist(): ChecklistSection[] {
  return [
    { title: "1. Deploy Testnet with PQ Activated", items: [item("Testnet running with PQ epoch active"), item("At least 100 PQ blocks sealed"), item("All nodes upgraded and healthy")] },
    {
      title: "2. Trigger Emergency Declaration",
      items: [item("Emergency council convenes"), item("5/7 council members sign emergency declaration"), item("Emergency broadcast to network")],
    },
    { title: "3. Execute Rollback", items: [item("Rollback epoch registered"), item("All nodes switch to legacy algorithm"), item("New blocks sealed with SHA-256 only")] },
    {
      title: "4. Verify Rollback Success",
      items: [item("Chain continuity maintained"), item("Historical blocks still verifiable"), item("No consensus failures"), item("Network health restored")],
    },
    {
      title: "5. Document Lessons Learned",
      items: [item("Rollback execution time"), item("Communication effectiveness"), item("Technical issues encountered"), item("Improvements for next rehearsal")],
    },
  ];
}

/** Sets the state of the item whose text is `text`; throws on a text the plan does not have (a typo in the script). */
export function tick(sections: ChecklistSection[], text: string, state: Exclude<ItemState, "pending">, detail: string): void {
  for (const s of sections) {
    const found = s.items.find((i) => i.text === text);
    if (found) {
      found.state = state;
      found.detail = detail;
      return;
    }
  }
  throw new Error(`no checklist item "${text}"`);
}

const MARK: Record<ItemState, string> = { pass: "[x]", fail: "[!]", manual: "[-]", pending: "[ ]" };

/** The checklist as Markdown-like text: `[x]` passed, `[!]` failed, `[-]` for people to judge, `[ ]` not reached. */
export function formatChecklist(sections: ChecklistSection[]): string {
  const lines: string[] = [];
  for (const s of sections) {
    lines.push(s.title);
    for (const i of s.items) lines.push(`   - ${MARK[i.state]} ${i.text}${i.detail ? `: ${i.detail}` : ""}`);
  }
  return lines.join("\n");
}

/** Passed when no item failed and none a script can judge is left pending. */
export function checklistPassed(sections: ChecklistSection[]): boolean {
  return sections.every((s) => s.items.every((i) => i.state === "pass" || i.state === "manual"));
}
