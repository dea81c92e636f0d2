// Wall-clock arithmetic in IANA time zones with the browser's Intl (no library): the parts of an
// instant in a zone, the instant of a wall time in a zone, and formatting of times and ranges.
// Used by the on-call pages, which show shifts in the schedule's zone or the viewer's own.

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partFormat(zone: string): Intl.DateTimeFormat {
  let f = partFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormats.set(zone, f);
  }
  return f;
}

// The viewer's own zone, as the browser knows it.
export const localZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function isValidZone(zone: string): boolean {
  try {
    partFormat(zone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// The wall time in `zone` at the instant `ms`.
export function wallTime(ms: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of partFormat(zone).formatToParts(ms)) {
    if (p.type !== "literal") parts[p.type] = parseInt(p.value, 10);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

// How far `zone`'s wall clock is ahead of UTC at `ms`, in ms.
function offsetAt(ms: number, zone: string): number {
  const w = wallTime(ms, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

// The instant at which `zone`'s wall clock reads `w`. A wall time that occurs twice (clocks
// going back) gives its first occurrence; one skipped by clocks going forward is read with the
// offset before the jump (02:30 becomes 03:30), as calendar apps do.
export function fromWallTime(w: WallTime, zone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const before = asUtc - offsetAt(asUtc - 86_400_000, zone);
  const after = asUtc - offsetAt(asUtc + 86_400_000, zone);
  const valid = [before, after].filter((t) => offsetAt(t, zone) === asUtc - t).sort((a, b) => a - b);
  return valid.length ? valid[0] : before;
}

// Local midnight of the day `ms` falls on in `zone`, plus `days` days (calendar days).
export function startOfDay(ms: number, zone: string, days = 0): number {
  const w = wallTime(ms, zone);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return fromWallTime({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 }, zone);
}

const pad = (n: number) => String(n).padStart(2, "0");

// "2026-11-23T09:00": the value of an <input type="datetime-local"> for `ms` in `zone`.
export function toInputValue(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

// The instant of a datetime-local value read in `zone`; null when it is not one.
export function fromInputValue(value: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => (x ? parseInt(x, 10) : 0));
  return fromWallTime({ year, month, day, hour, minute, second }, zone);
}

const displayFormats = new Map<string, Intl.DateTimeFormat>();

function displayFormat(zone: string, kind: "datetime" | "time" | "day" | "dayshort"): Intl.DateTimeFormat {
  const key = `${kind}|${zone}`;
  let f = displayFormats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      kind === "datetime"
        ? { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }
        : kind === "time"
          ? { hour: "2-digit", minute: "2-digit" }
          : kind === "day"
            ? { weekday: "short", day: "numeric", month: "short" }
            : { weekday: "short", day: "numeric" };
    f = new Intl.DateTimeFormat(undefined, { ...opts, timeZone: zone });
    displayFormats.set(key, f);
  }
  return f;
}

// "Mon 23 Nov, 09:00" in `zone`.
export function formatDateTime(ms: number, zone: string): string {
  return displayFormat(zone, "datetime").format(ms);
}

// "09:00" in `zone`.
export function formatClock(ms: number, zone: string): string {
  return displayFormat(zone, "time").format(ms);
}

// "Mon 23 Nov" (or "Mon 23" when short) in `zone`.
export function formatDay(ms: number, zone: string, short = false): string {
  return displayFormat(zone, short ? "dayshort" : "day").format(ms);
}

function sameDay(a: number, b: number, zone: string): boolean {
  const x = wallTime(a, zone);
  const y = wallTime(b, zone);
  return x.year === y.year && x.month === y.month && x.day === y.day;
}

// "Mon 23 Nov, 09:00 – 17:00" or "Mon 23 Nov, 09:00 – Mon 30 Nov, 09:00" in `zone`.
export function formatRange(start: number, end: number, zone: string): string {
  const tail = sameDay(start, end, zone) ? formatClock(end, zone) : formatDateTime(end, zone);
  return `${formatDateTime(start, zone)} – ${tail}`;
}

// "7d", "8h", "1d 12h", "45m": a duration for people.
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : ""].filter(Boolean);
  return parts.length ? parts.join(" ") : "0m";
}

// "UTC+01:00" at `ms` in `zone` (for hints).
export function formatOffset(ms: number, zone: string): string {
  const off = Math.round(offsetAt(ms, zone) / 60_000);
  const sign = off < 0 ? "−" : "+";
  const a = Math.abs(off);
  return `UTC${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}
