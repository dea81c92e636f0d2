// Parts shared by the paging pages: status and urgency badges, durations and day/time windows
// as people read them, links to people, policies and schedules, and the incident table.

import "../styles/paging.css";
import { enc } from "../api";
import { plural } from "../format";
import { Link } from "../router";
import type { Incident, IncidentStatus, PagingWindow, Person } from "../types";
import { displayName } from "./oncall";
import { TableWrap } from "./sort";
import { Time } from "./ui";

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  triggered: "triggered",
  acknowledged: "acknowledged",
  resolved: "resolved",
};

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <span class={`badge inc-status inc-${status}`} data-testid="incident-status">
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  return (
    <span class={`badge inc-urgency urgency-${urgency}`} data-testid="incident-urgency">
      {urgency} urgency
    </span>
  );
}

// "15m" -> "15 min", "1h30m" -> "1 h 30 min", "1d" -> "1 day": a catalog duration for people.
export function humanDuration(d: string | undefined): string {
  if (!d) return "";
  const parts: string[] = [];
  const names: Record<string, [string, string]> = { w: ["week", "weeks"], d: ["day", "days"], h: ["h", "h"], m: ["min", "min"], s: ["s", "s"] };
  for (const [, n, unit] of d.matchAll(/(\d+)([wdhms])/g)) {
    const [one, many] = names[unit];
    parts.push(`${n} ${n === "1" ? one : many}`);
  }
  return parts.length ? parts.join(" ") : d;
}

const DAY_ORDER = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const DAY_SHORT: Record<string, string> = {
  monday: "Mon",
  tuesday: "Tue",
  wednesday: "Wed",
  thursday: "Thu",
  friday: "Fri",
  saturday: "Sat",
  sunday: "Sun",
};

// "Mon–Fri 09:00–18:00 (Europe/Berlin)"; consecutive days become a range.
export function windowText(w: PagingWindow): string {
  const days = (w.days ?? []).map((d) => d.toLowerCase()).sort((a, b) => DAY_ORDER.indexOf(a) - DAY_ORDER.indexOf(b));
  let dayText = "every day";
  if (days.length && days.length < 7) {
    const runs: string[][] = [];
    for (const d of days) {
      const last = runs[runs.length - 1];
      if (last && DAY_ORDER.indexOf(d) === DAY_ORDER.indexOf(last[last.length - 1]) + 1) last.push(d);
      else runs.push([d]);
    }
    dayText = runs
      .map((r) => (r.length > 2 ? `${DAY_SHORT[r[0]]}–${DAY_SHORT[r[r.length - 1]]}` : r.map((d) => DAY_SHORT[d] ?? d).join(", ")))
      .join(", ");
  }
  const overnight = w.end <= w.start && w.end !== "24:00";
  return `${dayText} ${w.start}–${w.end}${overnight ? " (next day)" : ""} (${w.timeZone})`;
}

export function PersonLink({ name, people }: { name: string; people: Map<string, Person> }) {
  return <Link href={`/people/${enc(name)}`}>{displayName(people, name)}</Link>;
}

// People as links, "nobody" when empty.
export function People({ names, people }: { names: string[]; people: Map<string, Person> }) {
  if (!names.length) return <span class="muted">nobody</span>;
  return (
    <span class="people-list">
      {names.map((n, i) => (
        <span key={n}>
          {i > 0 && ", "}
          <PersonLink name={n} people={people} />
        </span>
      ))}
    </span>
  );
}

export function PolicyLink({ name }: { name: string }) {
  return <Link href={`/escalationpolicies/${enc(name)}`}>{name}</Link>;
}

export function incidentPath(n: number): string {
  return `/incidents/${n}`;
}

// Open incidents first (triggered before acknowledged, high urgency before low), newest first.
export function byAttention(a: Incident, b: Incident): number {
  const rank = (i: Incident) => (i.status === "triggered" ? 0 : i.status === "acknowledged" ? 1 : 2);
  return rank(a) - rank(b) || (a.urgency === b.urgency ? 0 : a.urgency === "high" ? -1 : 1) || b.number - a.number;
}

// How long an incident took to be acknowledged or resolved: "4 min", "2 h 10 min".
export function elapsed(fromIso: string, toIso: string | undefined): string {
  if (!toIso) return "";
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!isFinite(ms) || ms < 0) return "";
  const m = Math.round(ms / 60_000);
  if (m < 1) return "< 1 min";
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
  return `${Math.round(m / 1440)} days`;
}

// A table of incidents; `testid` names it for the tests.
export function IncidentTable({
  items,
  people,
  now,
  testid,
  label,
  showService = true,
}: {
  items: Incident[];
  people: Map<string, Person>;
  now: number;
  testid: string;
  label: string;
  showService?: boolean;
}) {
  return (
    <TableWrap label={label}>
      <table class="data incident-table" data-testid={testid}>
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Status</th>
            <th scope="col">Urgency</th>
            {showService && <th scope="col">Service</th>}
            <th scope="col">Opened</th>
            <th scope="col">Assigned to</th>
            <th scope="col" class="num">
              Alerts
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.number} data-incident={i.number} data-status={i.status} data-urgency={i.urgency} class={`inc-row inc-row-${i.status}`}>
              <th scope="row">
                <Link href={incidentPath(i.number)}>
                  <span class="muted mono">#{i.number}</span> {i.title}
                </Link>
                {i.snoozedUntil && i.status === "acknowledged" && (
                  <div class="muted small">
                    snoozed until <Time iso={i.snoozedUntil} now={now} />
                  </div>
                )}
              </th>
              <td class="nowrap">
                <StatusBadge status={i.status} />
              </td>
              <td class="nowrap">
                <UrgencyBadge urgency={i.urgency} />
              </td>
              {showService && (
                <td class="nowrap">
                  <Link href={`/services/${enc(i.service)}`}>{i.service}</Link>
                </td>
              )}
              <td class="nowrap">
                <Time iso={i.createdAt} now={now} />
                {i.resolvedAt && <div class="muted small">resolved after {elapsed(i.createdAt, i.resolvedAt)}</div>}
              </td>
              <td>
                {i.status === "resolved" ? (
                  <span class="muted small">{i.resolvedBy ? `resolved by ${displayActorOrSource(i.resolvedBy, people)}` : "resolved"}</span>
                ) : i.status === "acknowledged" && i.acknowledgedBy ? (
                  <span>
                    <People names={i.assignees} people={people} />
                    <div class="muted small">acknowledged by {displayActorOrSource(i.acknowledgedBy, people)}</div>
                  </span>
                ) : (
                  <People names={i.assignees} people={people} />
                )}
              </td>
              <td class="num">{i.alertCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

// Who did something, as people read it: a person's display name, "user alice", "the source
// (integration name)", "timeout".
export function displayActorOrSource(actor: string, people: Map<string, Person>): string {
  if (!actor) return "plinth";
  if (actor.startsWith("source:")) return `the source (${actor.slice(7)})`;
  if (actor.startsWith("user:")) return actor.slice(5);
  if (actor.startsWith("token:")) return `API token ${actor.slice(6)}`;
  if (actor === "timeout") return "a timeout";
  return people.has(actor) ? displayName(people, actor) : actor;
}

export function countText(items: Incident[]): string {
  const t = items.filter((i) => i.status === "triggered").length;
  const a = items.filter((i) => i.status === "acknowledged").length;
  return `${plural(items.length, "open incident")}: ${t} triggered, ${a} acknowledged`;
}
