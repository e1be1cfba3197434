/**
 * The accessibility exceptions: every axe-core finding the e2e suite deliberately tolerates, each with the reason.
 * e2e/support/axe.ts drops a violation's node only when an entry here names its rule and matches its target; an entry
 * without a reason, or one that no longer matches anything, is a reason to delete it, not to add more.
 *
 * Keep this list short. A new entry needs a reason a reviewer would accept: the rule is wrong for this element (a
 * false positive that was checked by hand), not "it is hard to fix".
 */
export interface A11yException {
  /** axe-core rule id, e.g. "color-contrast". */
  rule: string;
  /** Substring of the node's CSS target (axe's `target`, joined with " "); omit to match every node of the rule. */
  target?: string;
  /** Only for checks whose label contains this (the label given to expectNoSeriousA11yViolations); omit for all. */
  label?: string;
  /** Why this is not a real barrier, in one or two sentences. */
  reason: string;
}

export const A11Y_EXCEPTIONS: readonly A11yException[] = [];
