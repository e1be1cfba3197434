/**
 * One listener per web process for the radar's live page: it LISTENs on the channel the radar notifies after each
 * tick that did work ("radar"), builds one snapshot (at most one a second, however many tabs are open) and hands it
 * to every subscribed stream. A slow safety check (every 5 s, one query per process) catches a notification lost
 * with a dropped connection. Tabs never poll.
 */
import type pg from "pg";
import { getPgPool } from "../db/pg-pool";
import { readConfig } from "../config";
import { getRadarSnapshot, type RadarSnapshot } from "./radar-snapshot";

type Subscriber = (snapshot: RadarSnapshot) => void;

class RadarLiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private listener: pg.PoolClient | null = null;
  private starting: Promise<void> | null = null;
  private dirty = false;
  private building = false;
  private lastBuilt = 0;
  private safety: NodeJS.Timeout | null = null;
  private lastSeen = "";
  latest: RadarSnapshot | null = null;

  async subscribe(fn: Subscriber): Promise<() => void> {
    this.subscribers.add(fn);
    await (this.starting ??= this.start().catch((error) => {
      this.starting = null;
      throw error;
    }));
    if (!this.latest) await this.build();
    else fn(this.latest);
    return () => {
      this.subscribers.delete(fn);
    };
  }

  private async start(): Promise<void> {
    // One client of the process's pool (the least-privilege role) stays checked out for LISTEN.
    const client = await (await getPgPool()).connect();
    client.on("error", () => {
      this.listener = null;
      this.starting = null; // reconnect on the next subscription or safety check
      client.release(true);
    });
    client.on("notification", () => this.markDirty());
    await client.query("LISTEN radar");
    this.listener = client;
    this.safety ??= setInterval(() => void this.safetyCheck(), 5000);
    this.safety.unref?.();
  }

  private async safetyCheck(): Promise<void> {
    if (this.subscribers.size === 0) return;
    if (!this.listener) {
      this.starting ??= this.start().catch(() => {
        this.starting = null;
      });
    }
    const pool = await getPgPool();
    const { rows } = await pool.query<{ v: string }>("SELECT coalesce(max(seq), 0) || ':' || (SELECT coalesce(max(updated_at)::text, '') FROM radar_cursors) || ':' || (SELECT count(*) FROM drift_events WHERE resolved) AS v FROM drift_events");
    if (rows[0].v !== this.lastSeen) {
      this.lastSeen = rows[0].v;
      this.markDirty();
    }
  }

  /** Gives the LISTEN client back to the pool and stops the safety check (process shutdown, tests). */
  stop(): void {
    if (this.safety) clearInterval(this.safety);
    this.safety = null;
    this.listener?.release();
    this.listener = null;
    this.starting = null;
    this.latest = null;
  }

  /** Something changed (an operator action, or a radar tick): rebuild soon. */
  markDirty(): void {
    if (this.subscribers.size === 0) {
      this.latest = null; // nobody is watching: the next subscriber builds a fresh one
      return;
    }
    this.dirty = true;
    void this.build();
  }

  private async build(): Promise<void> {
    if (this.building) return;
    this.building = true;
    try {
      while (this.dirty || !this.latest) {
        this.dirty = false;
        const wait = 1000 - (Date.now() - this.lastBuilt);
        if (wait > 0 && this.latest) await new Promise((r) => setTimeout(r, wait));
        this.lastBuilt = Date.now();
        this.latest = await getRadarSnapshot(await getPgPool(), { expectedIntervalSeconds: readConfig().MATHLEDGER_DEVNET_INTERVAL });
        for (const fn of this.subscribers) fn(this.latest);
      }
    } finally {
      this.building = false;
    }
  }
}

const globalForHub = globalThis as typeof globalThis & { __mathledgerRadarHub?: RadarLiveHub };

export function radarLiveHub(): RadarLiveHub {
  return (globalForHub.__mathledgerRadarHub ??= new RadarLiveHub());
}
