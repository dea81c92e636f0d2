// Formatting of times and values for display.

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatAbsolute(iso: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : absolute.format(d);
}

// "3 minutes ago", "yesterday", … relative to `now` (ms).
export function formatRelative(iso: string, now = Date.now()): string {
  const t = new Date(iso).getTime();
  if (isNaN(t)) return iso;
  const s = Math.round((t - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return "just now";
  if (abs < 3600) return rtf.format(Math.round(s / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(s / 3600), "hour");
  if (abs < 86400 * 30) return rtf.format(Math.round(s / 86400), "day");
  if (abs < 86400 * 365) return rtf.format(Math.round(s / (86400 * 30)), "month");
  return rtf.format(Math.round(s / (86400 * 365)), "year");
}

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

// The wall-clock time now in an IANA zone ("Tue 14:05"), or null for an unknown zone.
export function localTime(timeZone: string | undefined, now: number): string | null {
  if (!timeZone) return null;
  let f = zoneFormats.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat(undefined, { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit" });
    } catch {
      f = null;
    }
    zoneFormats.set(timeZone, f);
  }
  return f ? f.format(now) : null;
}

// The hour (0–23) now in the zone, for "working hours" hints.
export function localHour(timeZone: string, now: number): number | null {
  try {
    const h = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(now);
    return parseInt(h, 10);
  } catch {
    return null;
  }
}

export function formatValue(v: unknown): string {
  if (v === undefined) return "—";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

export function plural(n: number, one: string, many = one + "s"): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
