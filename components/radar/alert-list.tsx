"use client";
/**
 * The radar's alert list: open events first, each with acknowledge, resolve (with a note) and silence (events of
 * the same category and severity, for an hour). Actions go through POST /api/v1/radar/actions; the change comes
 * back on the live stream.
 */
import { useState } from "react";
import type { StoredDriftEvent } from "@/server/drift/drift-event-repository";
import { SeverityBadge } from "../chain/badges";
import { postOperatorAction } from "./operator-token";

function EventRow({ event, token, canAct }: { event: StoredDriftEvent; token: string; canAct: boolean }) {
  const [note, setNote] = useState("");
  const [resolving, setResolving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(await postOperatorAction(token, body));
    setBusy(false);
  };
  // A governance alert (a council emergency or rollback) has no drift category: it is named by its kind, and it
  // cannot be silenced (the outbox never mutes a council decision).
  const category = event.source === "governance" ? null : event.drift_category;
  const topic = event.drift_category ?? `governance ${event.kind ?? "event"}`;
  const label = `${topic} at block ${event.block_number ?? "?"}`;
  return (
    <li
      className="border-b border-slate-800 py-2 last:border-0"
      data-testid="radar-alert"
      data-event-id={event.event_id}
      data-category={event.drift_category ?? undefined}
      data-source={event.source}
      data-kind={event.kind ?? undefined}
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <SeverityBadge severity={event.severity} />
        <span className="font-semibold text-slate-100">{topic}</span>
        <span className="text-slate-300">block {event.block_number ?? "?"}</span>
        <span className="text-xs text-slate-400">{new Date(event.timestamp * 1000).toISOString().slice(11, 19)} UTC</span>
        {event.resolved ? (
          <span className="text-xs text-emerald-300" data-testid="alert-resolved">
            resolved ({event.resolved_by}){event.resolution_note ? `: ${event.resolution_note}` : ""}
          </span>
        ) : event.acknowledged_at ? (
          <span className="text-xs text-amber-200" data-testid="alert-acknowledged">
            acknowledged by {event.acknowledged_by}
          </span>
        ) : null}
      </div>
      <p className="mt-1 break-words text-sm text-slate-300">{event.message}</p>
      {!event.resolved && canAct ? (
        <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
          {!event.acknowledged_at ? (
            <button type="button" disabled={busy} aria-label={`Acknowledge ${label}`} className="rounded border border-amber-600 px-2 py-1 text-amber-200 hover:bg-amber-950" onClick={() => act({ action: "ack", event_id: event.event_id })}>
              Acknowledge
            </button>
          ) : null}
          {category === null ? null : (
            <button
              type="button"
              disabled={busy}
              aria-label={`Silence ${event.severity} ${category} events for an hour`}
              className="rounded border border-slate-500 px-2 py-1 text-slate-200 hover:bg-slate-800"
              onClick={() =>
                act({
                  action: "silence",
                  matchers: [
                    { name: "drift_category", value: category },
                    { name: "severity", value: event.severity },
                  ],
                  duration_seconds: 3600,
                  comment: `silenced from the radar page after ${event.event_id}`,
                })
              }
            >
              Silence 1 h
            </button>
          )}
          {resolving ? (
            <form
              className="flex flex-wrap items-center gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                void act({ action: "resolve", event_id: event.event_id, note });
              }}
            >
              <label className="sr-only" htmlFor={`note-${event.event_id}`}>
                Resolution note for {label}
              </label>
              <input
                id={`note-${event.event_id}`}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder="why is it resolved?"
                className="min-w-48 rounded border border-slate-600 bg-slate-950 px-2 py-1 text-slate-100"
              />
              <button type="submit" disabled={busy || !note.trim()} className="rounded border border-emerald-600 px-2 py-1 text-emerald-200 hover:bg-emerald-950">
                Resolve with note
              </button>
            </form>
          ) : (
            <button type="button" aria-label={`Resolve ${label}`} className="rounded border border-emerald-600 px-2 py-1 text-emerald-200 hover:bg-emerald-950" onClick={() => setResolving(true)}>
              Resolve…
            </button>
          )}
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-1 text-xs text-rose-300">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** `canAct`: an operator is signed in, or this tab holds the node token (`token`, else ""). */
export function AlertList({ open, recent, token, canAct }: { open: StoredDriftEvent[]; recent: StoredDriftEvent[]; token: string; canAct: boolean }) {
  const openIds = new Set(open.map((e) => e.event_id));
  const closed = recent.filter((e) => !openIds.has(e.event_id)).slice(0, 10);
  return (
    <div>
      {open.length === 0 ? <p className="text-sm text-slate-400">No open drift events.</p> : null}
      <ul aria-label="Open drift events">{open.map((e) => <EventRow key={e.event_id} event={e} token={token} canAct={canAct} />)}</ul>
      {closed.length ? (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs text-slate-400">Recently resolved ({closed.length})</summary>
          <ul aria-label="Recently resolved drift events">{closed.map((e) => <EventRow key={e.event_id} event={e} token={token} canAct={canAct} />)}</ul>
        </details>
      ) : null}
    </div>
  );
}
