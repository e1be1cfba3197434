"use client";
/**
 * The new-proposal form (/governance/proposals/new): the plan's fields, checked as the user types with the rules the
 * server applies at submission (lib/governance/proposal-draft.ts: the body reader and the consensus core's verdict on
 * the epoch, against the node's registry and tip, polled), then the sign panel: the canonical message and its digest,
 * signed with the key unlocked in this browser, submitted; on success the new proposal's page opens.
 *
 * Benchmark results can be filled from a run stored on the node (BenchmarkRunPicker); the node checks them against
 * that run when the proposal arrives.
 *
 * Each field's problem is tied to it (aria-describedby, aria-invalid) and shown once the field was changed or left;
 * problems of fields not touched yet are named next to the disabled sign button instead.
 */
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { useTRPC } from "@/app/_trpc/react";
import { Card } from "@/components/ui/card";
import { useNowSeconds } from "@/components/ui/use-now";
import { RULE_VERSIONS } from "@/lib/consensus/rule-versions";
import { HASH_ALGORITHM_NAMES, listHashAlgorithms } from "@/lib/crypto/hash-algorithms";
import { PROPOSAL_TYPES } from "@/lib/governance/bodies";
import { checkProposalDraft, minimumActivationBlock, type ProposalForm, type ProposalFormField } from "@/lib/governance/proposal-draft";

import { BenchmarkRunPicker } from "./benchmark-run-picker";
import { SignPanel } from "./sign-panel";
import { useSigningKey } from "./signing-key";

const INITIAL: ProposalForm = {
  proposal_id: "",
  title: "",
  proposal_type: "epoch_activation",
  activation_block: "",
  algorithm_id: "",
  algorithm_name: "",
  rule_version: "",
  rationale: "",
  benchmark_results: "{}",
  risk_assessment: "{}",
  implementation_readiness: "{}",
};

const LABELS: Record<ProposalFormField, string> = {
  proposal_id: "Proposal id",
  title: "Title",
  proposal_type: "Proposal type",
  activation_block: "Activation block",
  algorithm_id: "Algorithm id",
  algorithm_name: "Algorithm name",
  rule_version: "Rule version",
  rationale: "Rationale",
  benchmark_results: "Benchmark results (JSON object)",
  risk_assessment: "Risk assessment (JSON object)",
  implementation_readiness: "Implementation readiness (JSON object)",
};

const inputClass = (invalid: boolean) =>
  `w-full rounded border bg-slate-950 px-2 py-1.5 text-sm text-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-300 ${invalid ? "border-rose-500" : "border-slate-600"}`;

export function NewProposalForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const { unlocked } = useSigningKey();
  const context = useQuery(trpc.governance.checkContext.queryOptions(undefined, { refetchInterval: 2_000 }));
  const members = useQuery(trpc.governance.members.queryOptions());
  const now = useNowSeconds();
  const [form, setForm] = useState<ProposalForm>(INITIAL);
  const [touched, setTouched] = useState<ReadonlySet<ProposalFormField>>(new Set());

  const ctx = context.data
    ? { registry: context.data.registry, tip: context.data.tip, finalizedHeight: context.data.finalized_height, activationLeadBlocks: context.data.activation_lead_blocks }
    : null;
  // Cheap (a registry of a few epochs): run on every render, so each keystroke and each new tip is checked at once.
  const check = checkProposalDraft(form, ctx, now ?? 0);
  const me = members.data?.members.find((m) => m.id === unlocked?.memberId);
  const notProposer = unlocked && me && !me.roles.includes("proposer");

  const set = (field: ProposalFormField) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [field]: e.target.value }));
    setTouched((t) => new Set(t).add(field));
  };
  const leave = (field: ProposalFormField) => () => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  const shown = (field: ProposalFormField) => (touched.has(field) ? check.problems[field] : undefined);
  /** Props that tie a field to its hint and its problem. */
  const fieldProps = (field: ProposalFormField, hint = false) => {
    const problem = shown(field);
    const describedBy = [hint ? `${field}-hint` : null, problem ? `${field}-error` : null].filter(Boolean).join(" ");
    return {
      id: field,
      name: field,
      value: form[field],
      onChange: set(field),
      onBlur: leave(field),
      "aria-invalid": problem ? true : undefined,
      "aria-describedby": describedBy || undefined,
      className: inputClass(Boolean(problem)),
    };
  };
  const errorText = (field: ProposalFormField) => {
    const problem = shown(field);
    return problem ? (
      <p id={`${field}-error`} className="mt-1 break-words text-xs text-rose-300" data-testid={`${field}-error`}>
        {problem.code}: {problem.message}
      </p>
    ) : null;
  };
  const label = (field: ProposalFormField) => (
    <label htmlFor={field} className="mb-1 block text-sm text-slate-200">
      {LABELS[field]}
    </label>
  );

  const pending = (Object.keys(check.problems) as ProposalFormField[]).filter((f) => !touched.has(f));
  const blockedReason =
    Object.keys(check.problems).length === 0
      ? undefined
      : pending.length > 0
        ? `Still to fill in or fix: ${pending.map((f) => LABELS[f]).join(", ")}.`
        : "Fix the fields marked above to sign.";
  const min = ctx ? minimumActivationBlock(ctx) : null;

  return (
    // Not a <form>: the sign panel may hold the passphrase form, and forms do not nest.
    <div className="space-y-4">
      <Card title="Proposal">
        <div className="grid gap-3 md:grid-cols-2">
          <div>
            {label("title")}
            <input {...fieldProps("title")} maxLength={200} autoComplete="off" />
            {errorText("title")}
          </div>
          <div>
            {label("proposal_id")}
            <input {...fieldProps("proposal_id", true)} maxLength={128} autoComplete="off" />
            <p id="proposal_id-hint" className="mt-1 text-xs text-slate-400">
              Unique, e.g. PQP-2026-001: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;:&apos; or &apos;-&apos;.
            </p>
            {errorText("proposal_id")}
          </div>
          <div>
            {label("proposal_type")}
            <select {...fieldProps("proposal_type")}>
              {PROPOSAL_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            {errorText("proposal_type")}
          </div>
          <div>
            {label("activation_block")}
            <input {...fieldProps("activation_block", true)} inputMode="numeric" autoComplete="off" />
            <p id="activation_block-hint" className="mt-1 text-xs text-slate-400" data-testid="activation-hint">
              {ctx ? `At least ${min} now: the tip (${ctx.tip}) plus the activation lead (${ctx.activationLeadBlocks} blocks). The epoch starts at this block.` : "Reading the node's tip…"}
            </p>
            {errorText("activation_block")}
          </div>
        </div>
      </Card>

      <Card title="Epoch parameters">
        <fieldset>
          <legend className="mb-2 text-sm text-slate-300">The epoch this proposal registers, checked by the consensus core against the node&apos;s registry as you type.</legend>
          <div className="grid gap-3 md:grid-cols-3">
            <div>
              {label("algorithm_id")}
              <input {...fieldProps("algorithm_id", true)} autoComplete="off" />
              <p id="algorithm_id-hint" className="mt-1 text-xs text-slate-400">
                {listHashAlgorithms()
                  .map((a) => `0x${a.id.toString(16).padStart(2, "0")} ${a.name}`)
                  .join(" · ")}
              </p>
              {errorText("algorithm_id")}
            </div>
            <div>
              {label("algorithm_name")}
              <input {...fieldProps("algorithm_name")} list="algorithm-names" autoComplete="off" />
              <datalist id="algorithm-names">
                {HASH_ALGORITHM_NAMES.map((n) => (
                  <option key={n} value={n} />
                ))}
              </datalist>
              {errorText("algorithm_name")}
            </div>
            <div>
              {label("rule_version")}
              <input {...fieldProps("rule_version")} list="rule-versions" autoComplete="off" />
              <datalist id="rule-versions">
                {RULE_VERSIONS.map((v) => (
                  <option key={v} value={v} />
                ))}
              </datalist>
              {errorText("rule_version")}
            </div>
          </div>
        </fieldset>
      </Card>

      <Card title="Case">
        <div className="space-y-3">
          <div>
            {label("rationale")}
            <textarea {...fieldProps("rationale")} rows={4} maxLength={20_000} />
            {errorText("rationale")}
          </div>
          <BenchmarkRunPicker
            current={form.benchmark_results}
            onFill={(json) => {
              setForm((f) => ({ ...f, benchmark_results: json }));
              setTouched((t) => new Set(t).add("benchmark_results"));
            }}
          />
          <div className="grid gap-3 md:grid-cols-3">
            {(["benchmark_results", "risk_assessment", "implementation_readiness"] as const).map((f) => (
              <div key={f}>
                {label(f)}
                <textarea {...fieldProps(f)} rows={4} spellCheck={false} className={`${inputClass(Boolean(shown(f)))} font-mono`} />
                {errorText(f)}
              </div>
            ))}
          </div>
        </div>
      </Card>

      <Card title="Sign and submit">
        {notProposer ? (
          <p role="alert" className="mb-2 text-sm text-amber-200">
            The key unlocked here ({unlocked?.memberId}) has no proposer role: the node would refuse the proposal (MISSING_ROLE).
          </p>
        ) : null}
        {context.error ? (
          <p role="alert" className="mb-2 text-sm text-rose-300">
            Cannot read the node&apos;s registry and tip: {context.error.message}
          </p>
        ) : null}
        <SignPanel
          // A new draft starts a new signing step: a message shown for signing is never one the form has since changed.
          key={check.body ? JSON.stringify(check.body) : "incomplete"}
          draft={check.body ? { type: "proposal", body: check.body } : null}
          label="Sign proposal"
          blockedReason={blockedReason}
          onDone={(result) => {
            if (result.proposal_hash) router.push(`/governance/proposals/${result.proposal_hash}`);
          }}
        />
      </Card>
    </div>
  );
}
