"use client";
/**
 * The operator's radar: health banner with its reasons, one chart per monitor, the algorithm distribution of the
 * last 1000 blocks, the alert list with operator actions, active silences and the delivery log. Live: snapshots
 * are pushed by the server over server-sent events (./use-radar-stream.ts).
 */
import { LineChart } from "@/components/charts/line-chart";
import { useSession } from "@/components/governance/session";
import { Card } from "@/components/ui/card";
import type { RadarSnapshot } from "@/server/drift/radar-snapshot";
import { AlertList } from "./alert-list";
import { OperatorTokenForm, postOperatorAction, useOperatorToken } from "./operator-token";
import { radarSeries } from "./radar-series";
import { useRadarStream } from "./use-radar-stream";

const BANNER = {
  HEALTHY: "border-emerald-700 bg-emerald-950/40 text-emerald-100",
  DEGRADED: "border-amber-600 bg-amber-950/50 text-amber-100",
  CRITICAL: "border-rose-600 bg-rose-950/50 text-rose-100",
} as const;

const fmt = (x: number | null, digits = 2, unit = "") => (x === null ? "—" : `${x.toFixed(digits)}${unit}`);

export function RadarView({ initial }: { initial: RadarSnapshot }) {
  const { snapshot: s, connected, updatedAt } = useRadarStream(initial);
  const { token, save } = useOperatorToken();
  // A signed-in member with the operator role acts through the session cookie; otherwise the node token (this tab).
  const { member } = useSession();
  const operator = member?.roles.includes("operator") ? member : null;
  const canAct = operator !== null || Boolean(token);
  const d = s.dashboard;
  const m = d.metrics;
  const series = radarSeries(s);
  const dist = Object.entries(m.algorithm_monitoring.expected_algorithm_distribution);
  const distTotal = dist.reduce((n, [, v]) => n + v, 0);
  return (
    <section aria-labelledby="radar-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="radar-heading" className="text-lg font-semibold text-slate-100">
          Drift radar
        </h2>
        <p className="text-xs text-slate-400" aria-live="polite">
          {connected ? "live (pushed by the server)" : "reconnecting to the live stream…"} · updated {new Date(updatedAt).toISOString().slice(11, 19)} UTC
        </p>
      </div>

      <div role="status" data-testid="radar-health" data-health={d.network_health} className={`rounded-md border px-4 py-3 ${BANNER[d.network_health]}`}>
        <p className="font-semibold">
          Network health: <span data-testid="radar-health-value">{d.network_health}</span>
        </p>
        {s.health_reasons.length ? (
          <ul className="mt-1 list-inside list-disc text-sm">
            {s.health_reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm">No open drift, no recent violations, blocks on time.</p>
        )}
      </div>

      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        <Card title="Consistency">
          <p className="mb-2 text-sm text-slate-300">
            consistency rate {fmt(m.consistency_monitoring.consistency_rate, 4)} · validation success {fmt(m.consistency_monitoring.validation_success_rate, 4)} ·
            legacy chain {m.lineage_monitoring.legacy_chain_valid ? "valid" : "broken"} · PQ chain {m.lineage_monitoring.pq_chain_valid ? "valid" : "broken"}
          </p>
          <LineChart title="Valid share of blocks" series={series.consistency} yFormat="percent" height={160} />
        </Card>
        <Card title="Performance">
          <p className="mb-2 text-sm text-slate-300">
            sealing avg {fmt(m.performance_monitoring.avg_sealing_time_ms, 2, " ms")} · p95 {fmt(m.performance_monitoring.p95_sealing_time_ms, 2, " ms")} · validation avg{" "}
            {fmt(m.performance_monitoring.avg_validation_time_ms, 2, " ms")}
          </p>
          <LineChart title="Sealing and validation time per block (ms)" series={series.performance} height={160} />
        </Card>
        <Card title="Storage">
          <p className="mb-2 text-sm text-slate-300">
            avg block {fmt(m.storage_monitoring.avg_block_size_bytes, 0, " B")} · overhead over legacy {fmt(m.storage_monitoring.storage_overhead_percent, 1, "%")}
          </p>
          <LineChart title="PQ storage overhead per block (%)" series={series.storage} height={160} />
        </Card>
        <Card title="Network">
          <p className="mb-2 text-sm text-slate-300">
            propagation {fmt(m.network_monitoring.avg_propagation_time_ms, 0, " ms")} · peers {fmt(m.network_monitoring.avg_peer_count, 1)} · orphan rate{" "}
            {fmt(m.network_monitoring.orphan_rate, 4)}
          </p>
          <LineChart title="Propagation time (ms)" series={series.network} xFormat="time" height={120} />
          <LineChart title="Orphan rate and peers (÷100)" series={series.orphans} xFormat="time" height={120} />
        </Card>
        <Card title="Algorithm distribution (last 1000 blocks)">
          <p className="mb-2 text-sm text-slate-300">mismatches in the last 1000 blocks: {m.algorithm_monitoring.mismatch_count_last_1000}</p>
          <ul className="space-y-1" aria-label="Expected algorithm of the last 1000 blocks">
            {dist.map(([name, n]) => (
              <li key={name} className="text-sm">
                <div className="flex justify-between text-slate-200">
                  <span>{name}</span>
                  <span className="font-mono">{n}</span>
                </div>
                <div className="h-2 rounded bg-slate-800" aria-hidden="true">
                  <div className="h-2 rounded bg-sky-500" style={{ width: `${distTotal ? (n / distTotal) * 100 : 0}%` }} />
                </div>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Alerts by severity (per minute, last hour)">
          <LineChart title="Drift events raised" series={series.alerts} xFormat="time" yFormat="integer" height={160} empty="No drift events in the last hour." />
        </Card>
      </div>

      <Card title={`Alerts (${s.open_events.length} open)`} actions={
          operator ? (
            <p className="text-xs text-slate-300" data-testid="radar-operator">
              Operator actions enabled: signed in as {operator.name} ({operator.id}).
            </p>
          ) : (
            <OperatorTokenForm token={token} onSave={save} />
          )
        }
      >
        <AlertList open={s.open_events} recent={s.recent_events} token={operator ? "" : token} canAct={canAct} />
      </Card>

      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        <Card title="Silences">
          {s.silences.length === 0 ? (
            <p className="text-sm text-slate-400">No active silence.</p>
          ) : (
            <ul className="space-y-2 text-sm" aria-label="Active silences">
              {s.silences.map((x) => (
                <li key={x.id} data-testid="radar-silence" className="flex flex-wrap items-center justify-between gap-2">
                  <span className="text-slate-200">
                    {x.matchers.map((mm) => `${mm.name}${mm.regex ? "=~" : "="}${mm.value}`).join(", ")} · until {new Date(x.ends_at * 1000).toISOString().slice(11, 16)} UTC ·{" "}
                    {x.comment}
                  </span>
                  {canAct ? (
                    <button type="button" className="rounded border border-slate-500 px-2 py-0.5 text-xs hover:bg-slate-800" onClick={() => void postOperatorAction(operator ? "" : token, { action: "expire_silence", silence_id: x.id })}>
                      End silence
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Delivery log">
          {s.deliveries.length === 0 ? (
            <p className="text-sm text-slate-400">Nothing sent yet{d.recent_alerts.length ? " (no channel configured: set MATHLEDGER_RADAR_CONFIG)" : ""}.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-xs">
                <caption className="sr-only">Alert deliveries, newest first</caption>
                <thead className="text-slate-400">
                  <tr>
                    <th scope="col" className="py-1 pr-2">Channel</th>
                    <th scope="col" className="py-1 pr-2">Status</th>
                    <th scope="col" className="py-1 pr-2">Event</th>
                    <th scope="col" className="py-1 pr-2">Attempts</th>
                    <th scope="col" className="py-1">Note</th>
                  </tr>
                </thead>
                <tbody className="text-slate-200">
                  {s.deliveries.map((x) => (
                    <tr key={x.id} className="border-t border-slate-800">
                      <td className="py-1 pr-2">{x.channel}{x.target ? ` ${new URL(x.target).host}` : ""}</td>
                      <td className="py-1 pr-2">{x.status}{x.folded_count ? ` (+${x.folded_count})` : ""}</td>
                      <td className="py-1 pr-2 font-mono">{x.event_id.slice(0, 8)}</td>
                      <td className="py-1 pr-2">{x.attempts}</td>
                      <td className="py-1 break-words">{x.last_error ?? x.reason ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </section>
  );
}
