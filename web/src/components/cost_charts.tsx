// The cost pages' charts, inline SVG without a library (as the other pages' charts): stacked
// columns per period, horizontal bars, a budget's cumulative spend against its amount, an
// anomaly's actual spend against the expected band, and a small trend line. Values are cents.

import { addDays, moneyShort } from "./cost";

// Round numbers for an axis from `lo` to `hi` (lo <= 0 <= hi).
function ticks(lo: number, hi: number, count = 4): number[] {
  const span = Math.max(1, hi - lo);
  const raw = span / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; out.length < 20; v += step) {
    out.push(Math.round(v));
    if (v >= hi) break;
  }
  return out;
}

export interface Series {
  name: string;
  values: number[]; // cents, one per period
  className: string;
}

// Columns per period, each stacked from its series (positive up, credits down from zero).
// Periods are days ("2026-10-05"); `periodLabel` writes one on the axis (default "10-05").
export function StackedColumns({
  periods,
  series,
  currency,
  label,
  testid,
  periodLabel = (p) => p.slice(5),
}: {
  periods: string[];
  series: Series[];
  currency: string;
  label: string;
  testid: string;
  periodLabel?: (p: string) => string;
}) {
  const W = 760;
  const H = 260;
  const padL = 64;
  const padR = 10;
  const padT = 10;
  const padB = 28;
  const pos = periods.map((_, i) => series.reduce((s, x) => s + Math.max(0, x.values[i] ?? 0), 0));
  const neg = periods.map((_, i) => series.reduce((s, x) => s + Math.min(0, x.values[i] ?? 0), 0));
  const axis = ticks(Math.min(0, ...neg), Math.max(1, ...pos));
  const lo = axis[0];
  const hi = axis[axis.length - 1];
  const y = (v: number) => padT + ((hi - v) / (hi - lo || 1)) * (H - padT - padB);
  const step = (W - padL - padR) / Math.max(1, periods.length);
  const colW = Math.max(1, Math.min(48, step * 0.72));
  const labelEvery = Math.max(1, Math.ceil(periods.length / 8));
  return (
    <div class="cost-chart-wrap">
      <svg class="cost-chart" role="img" aria-label={label} data-testid={testid} viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {axis.map((v) => (
          <g key={v} class={v === 0 ? "cc-zero" : "cc-grid"}>
            <line x1={padL} x2={W - padR} y1={y(v)} y2={y(v)} />
            <text x={padL - 6} y={y(v)} text-anchor="end" dominant-baseline="central">
              {moneyShort(v, currency)}
            </text>
          </g>
        ))}
        {periods.map((p, i) => {
          const x = padL + i * step + (step - colW) / 2;
          let up = 0;
          let down = 0;
          return (
            <g key={p} data-period={p}>
              {series.map((s) => {
                const v = s.values[i] ?? 0;
                if (!v) return null;
                const from = v > 0 ? up : down;
                const to = from + v;
                if (v > 0) up = to;
                else down = to;
                return (
                  <rect key={s.name} class={`cc-seg ${s.className}`} x={x} y={y(Math.max(from, to))} width={colW} height={Math.max(0.5, Math.abs(y(from) - y(to)))} data-series={s.name}>
                    <title>{`${p} · ${s.name}: ${moneyShort(v, currency)}`}</title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 && (
                <text class="cc-axis" x={padL + i * step + step / 2} y={H - 8} text-anchor="middle">
                  {periodLabel(p)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

export interface HBar {
  name: string;
  value: number; // cents
  className: string;
}

// One horizontal bar per group, largest first, with its amount.
export function HBars({ bars, currency, label, testid }: { bars: HBar[]; currency: string; label: string; testid: string }) {
  const rowH = 26;
  const labelW = 190;
  const valueW = 80;
  const W = 640;
  const barW = W - labelW - valueW;
  const max = Math.max(1, ...bars.map((b) => Math.abs(b.value)));
  return (
    <div class="cost-chart-wrap">
      <svg class="cost-chart" role="img" aria-label={label} data-testid={testid} viewBox={`0 0 ${W} ${bars.length * rowH}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {bars.map((b, i) => {
          const y0 = i * rowH;
          const w = Math.max(b.value ? 2 : 0, (Math.abs(b.value) / max) * barW);
          return (
            <g key={b.name} data-series={b.name}>
              <text x={labelW - 8} y={y0 + rowH / 2} text-anchor="end" dominant-baseline="central" class="cc-label">
                {b.name.length > 28 ? b.name.slice(0, 27) + "…" : b.name}
              </text>
              <rect x={labelW} y={y0 + 4} width={w} height={rowH - 8} rx="3" class={`cc-seg ${b.className}`} />
              <text x={labelW + w + 6} y={y0 + rowH / 2} dominant-baseline="central" class="cc-label">
                {moneyShort(b.value, currency)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

// Days from `start` (inclusive) to `end` (exclusive).
export function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d < end && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

// A budget's cumulative spend over its period against the amount, the threshold lines and the
// forecast from the last day with data to the period's end.
export function CumulativeChart(props: {
  start: string;
  end: string;
  cumulative: { day: string; value: number }[];
  amount: number;
  forecast: number;
  thresholds: number[]; // percent of the amount
  currency: string;
  label: string;
}) {
  const W = 640;
  const H = 200;
  const padL = 64;
  const padR = 12;
  const padT = 10;
  const padB = 24;
  const days = daysBetween(props.start, props.end);
  const n = Math.max(1, days.length);
  const index = new Map(days.map((d, i) => [d, i]));
  const axis = ticks(0, Math.max(props.amount, props.forecast, ...props.cumulative.map((p) => p.value), 1));
  const hi = axis[axis.length - 1];
  const x = (i: number) => padL + (i / n) * (W - padL - padR);
  const y = (v: number) => padT + ((hi - v) / (hi || 1)) * (H - padT - padB);
  const pts = props.cumulative.filter((p) => index.has(p.day)).map((p) => ({ x: x(index.get(p.day)! + 1), y: y(p.value) }));
  const line = [`M${x(0).toFixed(1)},${y(0).toFixed(1)}`, ...pts.map((p) => `L${p.x.toFixed(1)},${p.y.toFixed(1)}`)].join("");
  const last = pts[pts.length - 1];
  return (
    <div class="cost-chart-wrap">
      <svg class="cost-chart cost-cumulative" role="img" aria-label={props.label} data-testid="budget-chart" viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {axis.map((v) => (
          <g key={v} class={v === 0 ? "cc-zero" : "cc-grid"}>
            <line x1={padL} x2={W - padR} y1={y(v)} y2={y(v)} />
            <text x={padL - 6} y={y(v)} text-anchor="end" dominant-baseline="central">
              {moneyShort(v, props.currency)}
            </text>
          </g>
        ))}
        {props.thresholds
          .filter((t) => t !== 100)
          .map((t) => (
            <line key={t} class="cc-threshold" x1={padL} x2={W - padR} y1={y((props.amount * t) / 100)} y2={y((props.amount * t) / 100)} />
          ))}
        <line class="cc-budget" x1={padL} x2={W - padR} y1={y(props.amount)} y2={y(props.amount)} />
        {last && <line class="cc-forecast" x1={last.x} y1={last.y} x2={x(n)} y2={y(props.forecast)} />}
        <path class="cc-line" d={line} />
        {last && <circle class="cc-dot" cx={last.x} cy={last.y} r="3.5" />}
        <text class="cc-axis" x={padL} y={H - 6}>
          {props.start}
        </text>
        <text class="cc-axis" x={W - padR} y={H - 6} text-anchor="end">
          {addDays(props.end, -1)}
        </text>
      </svg>
    </div>
  );
}

export interface BandPoint {
  day: string;
  actual: number;
  expected: number | null; // null: not enough history yet
  lower: number | null;
  upper: number | null;
}

// Daily actual spend against the expected value and its band; the anomaly's days (from `from`
// to `to`, inclusive) shaded.
export function BandChart({ points, from, to, currency, label }: { points: BandPoint[]; from: string; to: string | null; currency: string; label: string }) {
  const W = 720;
  const H = 240;
  const padL = 64;
  const padR = 12;
  const padT = 10;
  const padB = 26;
  const n = Math.max(1, points.length - 1);
  const vals = points.flatMap((p) => [p.actual, p.upper, p.lower]).filter((v): v is number => v !== null);
  const axis = ticks(Math.min(0, ...vals), Math.max(1, ...vals));
  const lo = axis[0];
  const hi = axis[axis.length - 1];
  const x = (i: number) => padL + (i / n) * (W - padL - padR);
  const y = (v: number) => padT + ((hi - v) / (hi - lo || 1)) * (H - padT - padB);
  // A line through the known values; an unknown one lifts the pen.
  const path = (get: (p: BandPoint) => number | null) => {
    let d = "";
    let pen = false;
    points.forEach((p, i) => {
      const v = get(p);
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  // The band over the days where it is known (they are contiguous: from the first such day on).
  const banded = points.map((p, i) => ({ p, i })).filter(({ p }) => p.lower !== null && p.upper !== null);
  const band = banded.length > 1
    ? banded.map(({ p, i }, k) => `${k ? "L" : "M"}${x(i).toFixed(1)},${y(p.upper!).toFixed(1)}`).join("") +
      [...banded].reverse().map(({ p, i }) => `L${x(i).toFixed(1)},${y(p.lower!).toFixed(1)}`).join("") +
      "Z"
    : "";
  const first = points.findIndex((p) => p.day >= from);
  const lastDay = to ?? points[points.length - 1]?.day ?? from;
  let lastIdx = -1;
  points.forEach((p, i) => {
    if (p.day <= lastDay) lastIdx = i;
  });
  const half = (W - padL - padR) / n / 2;
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <div class="cost-chart-wrap">
      <svg class="cost-chart cost-band" role="img" aria-label={label} data-testid="anomaly-chart" viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {first >= 0 && lastIdx >= first && (
          <rect class="cc-anomaly" x={Math.max(padL, x(first) - half)} y={padT} width={Math.min(W - padR, x(lastIdx) + half) - Math.max(padL, x(first) - half)} height={H - padT - padB} data-testid="anomaly-window" />
        )}
        {axis.map((v) => (
          <g key={v} class={v === 0 ? "cc-zero" : "cc-grid"}>
            <line x1={padL} x2={W - padR} y1={y(v)} y2={y(v)} />
            <text x={padL - 6} y={y(v)} text-anchor="end" dominant-baseline="central">
              {moneyShort(v, currency)}
            </text>
          </g>
        ))}
        {band && <path class="cc-band" d={band} />}
        <path class="cc-expected" d={path((p) => p.expected)} />
        <path class="cc-line" d={path((p) => p.actual)} />
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={p.day} class="cc-axis" x={x(i)} y={H - 8} text-anchor="middle">
              {p.day.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
    </div>
  );
}

// A small trend line of values (null gaps break it), for a table cell.
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const W = 120;
  const H = 28;
  const known = values.filter((v): v is number => v !== null && isFinite(v));
  if (known.length < 2) return <span class="muted small">—</span>;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const x = (i: number) => 2 + (i / Math.max(1, values.length - 1)) * (W - 4);
  const y = (v: number) => 3 + ((hi - v) / (hi - lo || 1)) * (H - 6);
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return (
    <svg class="cost-spark" role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
      <path class="cc-line" d={d} />
    </svg>
  );
}
