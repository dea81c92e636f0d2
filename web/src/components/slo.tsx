// Parts of the SLO pages: the status badge, a small budget bar, the burn-down chart (inline
// SVG, no library) and number formats.

import type { Burndown, SloStatus } from "../types";
import { formatDay, localZone } from "./zone";

export type SloState = "ok" | "at risk" | "exhausted" | "no data";

export function sloState(s: Pick<SloStatus, "no_data" | "policy_status" | "attainment">): SloState {
  if (s.no_data || s.attainment === null) return "no data";
  return s.policy_status;
}

const STATE_CLASS: Record<SloState, string> = { ok: "slo-ok", "at risk": "slo-risk", exhausted: "slo-exhausted", "no data": "slo-nodata" };

export function SloBadge({ status }: { status: Pick<SloStatus, "no_data" | "policy_status" | "attainment"> }) {
  const state = sloState(status);
  return (
    <span class={`badge slo-badge ${STATE_CLASS[state]}`} data-testid="slo-status">
      {state}
    </span>
  );
}

// 0.99912 -> "99.912%" with `digits` decimals; "—" when absent.
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !isFinite(v)) return "—";
  return `${(v * 100).toFixed(digits)}%`;
}

// "3 h 20 min", "12 days", "now" (already spent), "—" (not burning or unknown).
export function formatMinutesLeft(s: Pick<SloStatus, "minutes_to_exhaustion" | "budget">): string {
  const m = s.minutes_to_exhaustion;
  if (s.budget.remaining_ratio !== null && s.budget.remaining_ratio <= 0) return "exhausted";
  if (m === null || m === undefined || !isFinite(m)) return "—";
  if (m < 60) return `${Math.round(m)} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${Math.round(m % 60)} min`;
  return `${Math.round(m / 1440)} days`;
}

// A bar of the remaining budget, 0–100%, with the figure beside it.
export function BudgetBar({ ratio }: { ratio: number | null }) {
  const known = ratio !== null && isFinite(ratio);
  const w = known ? Math.max(0, Math.min(1, ratio)) * 100 : 0;
  const cls = !known ? "" : ratio <= 0 ? "budget-out" : ratio < 0.25 ? "budget-low" : "budget-ok";
  return (
    <span class="budget">
      <svg class={`budget-bar ${cls}`} viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect x="0" y="0" width="100" height="8" rx="2" class="budget-track" />
        <rect x="0" y="0" width={w} height="8" rx="2" class="budget-fill" />
      </svg>
      <span class="budget-value">{pct(ratio, 1)}</span>
    </span>
  );
}

// Remaining budget over the window: the measured line, the even-spend line from 100% at the
// window's start to 0% at its end, and the 0% line.
export function BurndownChart({ data }: { data: Burndown }) {
  const W = 640;
  const H = 220;
  const padL = 48;
  const padR = 12;
  const padT = 10;
  const padB = 26;
  const pts = data.points.map((p) => ({ t: Date.parse(p.time), v: p.remaining_ratio }));
  const known = pts.filter((p): p is { t: number; v: number } => p.v !== null && isFinite(p.v));
  if (!known.length) {
    return (
      <p class="muted" data-testid="burndown-empty">
        No data in the window yet.
      </p>
    );
  }
  const t0 = Date.parse(data.window.start);
  const t1 = Math.max(Date.parse(data.window.end), pts[pts.length - 1].t, t0 + 1);
  const vals = known.map((p) => p.v);
  const yMin = Math.min(0, ...vals);
  const yMax = Math.max(1, ...vals);
  const x = (t: number) => padL + ((t - t0) / (t1 - t0)) * (W - padL - padR);
  const y = (v: number) => padT + ((yMax - v) / (yMax - yMin)) * (H - padT - padB);

  // The measured line, broken where there is no data.
  let d = "";
  let pen = false;
  for (const p of pts) {
    if (p.v === null || !isFinite(p.v)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
    pen = true;
  }
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  if (yMin < 0) ticks.unshift(Math.floor(yMin * 4) / 4);
  const last = known[known.length - 1];
  const label = `Error budget remaining over the window (${data.window.description}): ${pct(last.v)} now`;
  return (
    <svg class="burndown" role="img" aria-label={label} data-testid="burndown" viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="xMinYMin meet">
      {ticks.map((v) => (
        <g key={v} class={v === 0 ? "bd-zero" : "bd-grid"}>
          <line x1={padL} x2={W - padR} y1={y(v)} y2={y(v)} />
          <text x={padL - 6} y={y(v)} text-anchor="end" dominant-baseline="central">
            {Math.round(v * 100)}%
          </text>
        </g>
      ))}
      <line class="bd-even" x1={x(t0)} y1={y(1)} x2={x(t1)} y2={y(0)} />
      <path class="bd-line" d={d} />
      <circle class="bd-now" cx={x(last.t)} cy={y(last.v)} r="3.5" />
      <text class="bd-axis" x={padL} y={H - 6}>
        {formatDay(t0, localZone)}
      </text>
      <text class="bd-axis" x={W - padR} y={H - 6} text-anchor="end">
        {formatDay(t1, localZone)}
      </text>
    </svg>
  );
}
