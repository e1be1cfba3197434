/**
 * Votes commit in groups: every vote that arrives while a governance transaction is running waits for the next one,
 * and that next transaction stores all of them (up to MAX_VOTES_PER_TRANSACTION), each checked on its own.
 *
 * Why: every governance write holds one lock (the audit chain needs a single order), so transactions run one at a
 * time and each pays its round trips and its commit's WAL flush (about 1 ms here) while holding it. With one vote per
 * transaction, 50 voters at once queued on that lock and the server stored little more than it did for one voter at
 * a time (issue 8's bench stage). A group pays the lock, BEGIN and the flush once, and castVotes reads and writes the
 * whole group in one round trip each: with a round trip per vote, the group's transaction was a chain of round
 * trips, each waiting for the busy event loop, and it, not the CPU, set the rate.
 *
 * What does not change: each vote is checked exactly as alone (castVotes: nonce, target, role, phase, window, power,
 * in that order, by a read before any write, so a refused vote writes nothing and the others in its group are
 * unaffected); votes are applied in arrival order, so two votes of one signer keep their nonce order; a vote's
 * answer is sent only after its group committed. If anything other than a refusal fails inside a group (a database
 * error), the group is rolled back whole and each of its votes is tried again in a transaction of its own, so one
 * bad vote cannot take the others down. A lone vote (one voter at a time) starts its transaction at once: grouping
 * adds no wait.
 */
import type pg from "pg";
import type { VerifiedEnvelope } from "../../lib/governance/envelope";
import type { ActionResult } from "./action-context";
import { inGovernanceTransaction } from "./governance-store";
import { castVotes, type VoteOutcome } from "./proposal-actions";

/** Bounds one transaction's length (and the wait of the last vote in it). */
export const MAX_VOTES_PER_TRANSACTION = 64;

interface QueuedVote {
  envelope: VerifiedEnvelope<"vote">;
  now: number;
  resolve: (result: ActionResult) => void;
  reject: (error: unknown) => void;
}

export class VoteCommitQueue {
  private waiting: QueuedVote[] = [];
  private draining = false;

  constructor(private readonly pool: pg.Pool) {}

  /** Stores one verified vote (checked and stored as castVotes says); resolves once its transaction has committed. */
  submit(envelope: VerifiedEnvelope<"vote">, now: number): Promise<ActionResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ envelope, now, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) await this.commitGroup(this.waiting.splice(0, MAX_VOTES_PER_TRANSACTION));
    } finally {
      this.draining = false;
    }
  }

  private async commitGroup(group: QueuedVote[]): Promise<void> {
    let outcomes: VoteOutcome[];
    try {
      outcomes = await inGovernanceTransaction(this.pool, (client) => castVotes(client, group));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      for (const vote of group) await this.commitGroup([vote]);
      return;
    }
    group.forEach((vote, i) => {
      const outcome = outcomes[i];
      if ("result" in outcome) vote.resolve(outcome.result);
      else vote.reject(outcome.refusal);
    });
  }
}

const queues = new WeakMap<pg.Pool, VoteCommitQueue>();

/** The queue of votes to store through `pool` (one per pool, so one per process's database). */
export function voteCommitQueue(pool: pg.Pool): VoteCommitQueue {
  let queue = queues.get(pool);
  if (!queue) queues.set(pool, (queue = new VoteCommitQueue(pool)));
  return queue;
}
