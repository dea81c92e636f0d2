// A horizontal bar chart in inline SVG: one labelled bar per row, with its value.

export interface Bar {
  label: string;
  value: number;
  href?: string;
  className?: string;
}

export function BarChart({ bars, label, onBar }: { bars: Bar[]; label: string; onBar?: (bar: Bar) => void }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 32;
  const labelW = 96;
  const valueW = 40;
  const chartW = 320;
  const barW = chartW - labelW - valueW;
  const height = bars.length * rowH;
  const summary = `${label}: ${bars.map((b) => `${b.label} ${b.value}`).join(", ")}`;
  return (
    <svg class="barchart" role="img" aria-label={summary} viewBox={`0 0 ${chartW} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      {bars.map((b, i) => {
        const w = Math.max(b.value ? 2 : 0, (b.value / max) * barW);
        const y = i * rowH;
        return (
          <g key={b.label} class={`bar ${b.className ?? ""}`} onClick={onBar ? () => onBar(b) : undefined}>
            <text x={labelW - 8} y={y + rowH / 2} text-anchor="end" dominant-baseline="central" class="bar-label">
              {b.label}
            </text>
            <rect x={labelW} y={y + 5} width={barW} height={rowH - 10} rx={4} class="bar-track" />
            <rect x={labelW} y={y + 5} width={w} height={rowH - 10} rx={4} class="bar-fill" />
            <text x={labelW + barW + 8} y={y + rowH / 2} dominant-baseline="central" class="bar-value">
              {b.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
