// A timeline of on-call shifts: one row per layer and the final schedule, days along the top in
// a chosen zone, a colour per person (with a legend), gaps hatched, overrides outlined, and a
// line at the current time. Plain HTML positioned in percent (no SVG text scaling), scrolled
// sideways on narrow screens. Each shift also reads as text for screen readers.

import type { Person, Shift } from "../types";
import { displayName } from "./oncall";
import { formatDay, formatRange, startOfDay } from "./zone";

export interface TimelineRow {
  key: string; // "final" or the layer's name, in data-row
  label: string;
  shifts: Shift[];
}

export const PALETTE_SIZE = 12;

// A colour index per person: participants in the order given, then anyone else, by first
// appearance.
export function assignColours(order: string[], rows: TimelineRow[]): Map<string, number> {
  const colours = new Map<string, number>();
  const add = (p: string | null) => {
    if (p && !colours.has(p)) colours.set(p, colours.size % PALETTE_SIZE);
  };
  order.forEach(add);
  rows.forEach((r) => r.shifts.forEach((s) => add(s.person)));
  return colours;
}

interface Props {
  label: string;
  rows: TimelineRow[];
  from: number;
  to: number;
  zone: string;
  now: number;
  colours: Map<string, number>;
  people: Map<string, Person>;
  // When given, the final row's shifts are buttons that call it (e.g. to override that slot);
  // only that row's, so the keyboard does not tab through every layer.
  onShift?: (shift: Shift) => void;
  shiftAction?: string; // what clicking does, for the button's name: "Override"
}

function describe(s: Shift, zone: string, people: Map<string, Person>): string {
  const who = s.person ? displayName(people, s.person) : "Nobody on call (gap)";
  const source = s.source === "override" ? ", override" : s.source ? `, ${s.source}` : "";
  return `${who}: ${formatRange(Date.parse(s.start), Date.parse(s.end), zone)}${source}`;
}

// What fits in a block `width` percent of the track wide: "Sofia Haddad", "Sofia" or "SH".
function fitName(name: string, width: number): string {
  if (width >= 12) return name;
  const parts = name.split(/[\s.]+/).filter(Boolean);
  if (width >= 7 || parts.length < 2) return parts[0] ?? name;
  return parts.map((p) => p[0].toUpperCase()).join("").slice(0, 3);
}

export function Timeline({ label, rows, from, to, zone, now, colours, people, onShift, shiftAction = "Override" }: Props) {
  const span = to - from;
  const pct = (t: number) => `${(((Math.min(Math.max(t, from), to) - from) / span) * 100).toFixed(3)}%`;
  const days: number[] = [];
  for (let d = startOfDay(from, zone), i = 0; d < to && i < 62; d = startOfDay(from, zone, ++i)) {
    if (d >= from) days.push(d);
  }
  const short = days.length > 8;
  const showNow = now >= from && now < to;

  const grid = days.map((d) => <span key={d} class="tl-grid" style={{ left: pct(d) }} aria-hidden="true" />);
  const nowLine = showNow && <span class="tl-now" style={{ left: pct(now) }} aria-hidden="true" />;

  return (
    <div class="timeline-wrap">
      <div class="timeline" role="group" aria-label={label} data-testid="timeline">
        <div class="tl-row tl-axis" aria-hidden="true">
          <div class="tl-label" />
          <div class="tl-track">
            {days.map((d, i) => {
              const end = i + 1 < days.length ? days[i + 1] : to;
              return (
                <span key={d} class="tl-day" style={{ left: pct(d), width: `${(((end - d) / span) * 100).toFixed(3)}%` }}>
                  {formatDay(d, zone, short)}
                </span>
              );
            })}
            {showNow && (
              <span class="tl-now-label" style={{ left: pct(now) }}>
                now
              </span>
            )}
          </div>
        </div>
        {rows.map((row) => (
          <div class={`tl-row${row.key === "final" ? " tl-final" : ""}`} data-row={row.key} key={row.key}>
            <div class="tl-label" id={`tl-${row.key}`}>
              {row.label}
            </div>
            <div class="tl-track">
              {grid}
              <ul class="tl-shifts" aria-labelledby={`tl-${row.key}`}>
              {row.shifts
                .filter((s) => Date.parse(s.end) > from && Date.parse(s.start) < to)
                .map((s) => {
                  const start = Date.parse(s.start);
                  const end = Date.parse(s.end);
                  const width = ((Math.min(end, to) - Math.max(start, from)) / span) * 100;
                  const cls = s.person
                    ? `tl-shift pc-${colours.get(s.person) ?? 0}${s.source === "override" ? " tl-override" : ""}`
                    : "tl-shift tl-gap";
                  const text = describe(s, zone, people);
                  const name = s.person ? fitName(displayName(people, s.person), width) : "gap";
                  const attrs = {
                    class: cls,
                    title: text,
                    "data-person": s.person ?? "",
                    "data-source": s.source ?? "",
                    "data-start": s.start,
                    "data-end": s.end,
                  };
                  return (
                    <li key={s.start} class="tl-item" style={{ left: pct(start), width: `${width.toFixed(3)}%` }}>
                      {onShift && row.key === "final" ? (
                        <button type="button" {...attrs} aria-label={`${shiftAction}: ${text}`} onClick={() => onShift(s)}>
                          <span aria-hidden="true">{name}</span>
                        </button>
                      ) : (
                        <span {...attrs}>
                          <span class="visually-hidden">{text}</span>
                          <span aria-hidden="true">{name}</span>
                        </span>
                      )}
                    </li>
                  );
                })}
              </ul>
              {nowLine}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

// The colours of the people on the timeline, gaps and overrides.
export function TimelineLegend({ colours, people }: { colours: Map<string, number>; people: Map<string, Person> }) {
  return (
    <ul class="tl-legend" aria-label="Legend">
      {[...colours].map(([p, c]) => (
        <li key={p}>
          <span class={`tl-swatch pc-${c}`} aria-hidden="true" />
          {displayName(people, p)}
        </li>
      ))}
      <li>
        <span class="tl-swatch tl-gap" aria-hidden="true" />
        Gap: nobody on call
      </li>
      <li>
        <span class="tl-swatch tl-override" aria-hidden="true" />
        Override
      </li>
    </ul>
  );
}
