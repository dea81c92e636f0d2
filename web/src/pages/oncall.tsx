// On call: who is on call now on every schedule, grouped by team, with until when and who is
// next; the upcoming shifts of the logged-in person (or anyone picked) in the viewer's time with
// a calendar feed; and the on-call health report of a quarter (load and fairness per person).

import { useState } from "preact/hooks";
import { enc, get, qs } from "../api";
import { BarChart } from "../components/barchart";
import { CalendarFeed, displayName, OnCallPerson, usePeople } from "../components/oncall";
import { TableWrap } from "../components/sort";
import { ErrorMessage, Loading, PageHeader } from "../components/ui";
import { formatDateTime, formatDuration, formatRange, localZone } from "../components/zone";
import { allTeams } from "../data";
import { plural } from "../format";
import { useAsync, useNow, useTitle } from "../hooks";
import { Link, navigate } from "../router";
import { displayActor, session } from "../session";
import { useStore } from "../store";
import type { FairnessReport, OnCallNow, Person, PersonShifts, Shift, Team } from "../types";
import { NoSchedulesHelp } from "./schedule";

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

// "in 16 hours", "in 3 days": hours up to two days, as "tomorrow" depends on whose day it is.
function fromNow(t: number, now: number): string {
  const minutes = Math.round((t - now) / 60_000);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, "minute");
  if (Math.abs(minutes) < 48 * 60) return rtf.format(Math.round(minutes / 60), "hour");
  return rtf.format(Math.round(minutes / 1440), "day");
}

// "Mon 23 Nov, 17:00" in the viewer's zone, and the same instant in `zone` when that differs.
function When({ iso, zone, now }: { iso: string; zone: string; now: number }) {
  const t = Date.parse(iso);
  return (
    <>
      <time dateTime={iso}>{formatDateTime(t, localZone)}</time> <span class="muted small">({fromNow(t, now)})</span>
      {zone !== localZone && (
        <span class="muted small zone-time">
          {" "}
          · {formatDateTime(t, zone)} {zone}
        </span>
      )}
    </>
  );
}

function ShiftSource({ shift }: { shift: Shift }) {
  if (shift.source === "override") return <span class="badge oc-override">override</span>;
  return null;
}

function TeamOnCall({ team, items, now, people }: { team: Team | undefined; items: OnCallNow[]; now: number; people: Map<string, Person> }) {
  const name = items[0].team;
  return (
    <tbody data-team={name ?? ""}>
      <tr class="team-row">
        <th colSpan={4} scope="rowgroup">
          {name ? (
            <>
              <Link href={`/teams/${enc(name)}`}>{team?.metadata.title ?? name}</Link>
              {team?.metadata.title && team.metadata.title !== name && <span class="muted small mono"> {name}</span>}
            </>
          ) : (
            "No team"
          )}
        </th>
      </tr>
      {items.map((o) => (
        <tr key={o.schedule} data-schedule={o.schedule} class={o.shift.person ? undefined : "gap-row"}>
          <th scope="row">
            <Link href={`/schedules/${enc(o.schedule)}`}>{o.title || o.schedule}</Link>
            <span class="muted small block">{o.timeZone}</span>
          </th>
          <td data-testid="on-call-person">
            <OnCallPerson person={o.shift.person} people={people} /> <ShiftSource shift={o.shift} />
          </td>
          <td>
            <When iso={o.shift.end} zone={o.timeZone} now={now} />
          </td>
          <td>
            {o.next ? (
              <>
                <OnCallPerson person={o.next.person} people={people} /> <ShiftSource shift={o.next} />
                <span class="muted small block">until {formatDateTime(Date.parse(o.next.end), localZone)}</span>
              </>
            ) : (
              <span class="muted">—</span>
            )}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

export function OnCallPage() {
  useTitle("On call");
  const now = useNow(30_000);
  const minute = Math.floor(now / 60_000);
  const oncall = useAsync((signal) => get<{ at: string; items: OnCallNow[] }>("/api/v1/oncall", signal), [minute]);
  const teams = useAsync(() => allTeams(), []);
  const people = usePeople();
  const teamMap = new Map((teams.data ?? []).map((t) => [t.metadata.name, t]));

  const groups = new Map<string, OnCallNow[]>();
  for (const item of oncall.data?.items ?? []) {
    const key = item.team ?? "";
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const title = (key: string) => teamMap.get(key)?.metadata.title ?? (key || "~");
  const ordered = [...groups.entries()].sort(([a], [b]) => title(a).localeCompare(title(b)));
  const gaps = (oncall.data?.items ?? []).filter((i) => !i.shift.person).length;

  return (
    <>
      <PageHeader
        title="On call"
        subtitle={<>Who is on call now, per schedule and team. Times are in your time zone ({localZone}) and the schedule’s.</>}
        actions={
          <Link class="button" href="/oncall/report">
            On-call health
          </Link>
        }
      />
      {oncall.error ? (
        <ErrorMessage error={oncall.error} />
      ) : !oncall.data ? (
        <Loading />
      ) : !oncall.data.items.length ? (
        <NoSchedulesHelp />
      ) : (
        <>
          <p class="count" role="status">
            {plural(oncall.data.items.length, "schedule")} in {plural(groups.size, "team")}
            {gaps > 0 && <span class="warn"> · {plural(gaps, "schedule")} with nobody on call now</span>}
          </p>
          <section class="card" aria-labelledby="h-now">
            <h2 id="h-now">On call now</h2>
            <TableWrap label="On call now">
              <table class="data oncall-table" data-testid="oncall-now">
                <thead>
                  <tr>
                    <th scope="col">Schedule</th>
                    <th scope="col">On call now</th>
                    <th scope="col">Until</th>
                    <th scope="col">Next</th>
                  </tr>
                </thead>
                {ordered.map(([key, items]) => (
                  <TeamOnCall key={key} team={teamMap.get(key)} items={items} now={now} people={people} />
                ))}
              </table>
            </TableWrap>
          </section>
        </>
      )}
      <MyShifts now={now} people={people} />
    </>
  );
}

// The upcoming shifts (four weeks) of the person whose name is the logged-in user's, or of
// whoever is picked, in the viewer's own time.
function MyShifts({ now, people }: { now: number; people: Map<string, Person> }) {
  const s = useStore(session);
  const me = displayActor(s?.actor ?? "");
  const [picked, setPicked] = useState<string | null>(null);
  const person = picked ?? (people.has(me) ? me : "");
  const hour = Math.floor(now / 3_600_000);
  const shifts = useAsync(
    (signal) => (person ? get<PersonShifts>(`/api/v1/people/${enc(person)}/shifts${qs({ from: new Date(hour * 3_600_000).toISOString() })}`, signal) : Promise.resolve(undefined)),
    [person, hour],
  );
  const sorted = [...people.values()].sort((a, b) => displayName(people, a.metadata.name).localeCompare(displayName(people, b.metadata.name)));
  const who = person ? displayName(people, person) : "";
  const items = (shifts.data?.items ?? []).filter((i) => i.person === person);

  return (
    <section class="card my-shifts" aria-labelledby="h-my-shifts">
      <h2 id="h-my-shifts">{person && person === me ? "My shifts" : "Shifts of a person"}</h2>
      <div class="filters">
        <div class="field">
          <label for="my-person">Person</label>
          <select id="my-person" value={person} onChange={(e) => setPicked((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a person…</option>
            {sorted.map((p) => (
              <option value={p.metadata.name} key={p.metadata.name}>
                {displayName(people, p.metadata.name)}
                {p.metadata.name === me ? " (me)" : ""}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!person ? (
        <p class="muted">
          {me && !people.has(me) && people.size > 0 ? `No person in the catalog is named “${me}” like your login. ` : ""}Choose a person to see their next shifts.
        </p>
      ) : shifts.error ? (
        <ErrorMessage error={shifts.error} />
      ) : !shifts.data ? (
        <Loading />
      ) : !items.length ? (
        <p class="muted" data-testid="no-shifts">
          {who} has no shifts in the next four weeks.
        </p>
      ) : (
        <>
          <p class="muted small">
            The next four weeks, in your time ({localZone}){shifts.data.timeZone !== localZone ? `; ${who} lives in ${shifts.data.timeZone}` : ""}.
          </p>
          <TableWrap label="Shifts">
            <table class="data" data-testid="my-shifts">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Length</th>
                  <th scope="col">Schedule</th>
                  <th scope="col" class="hide-narrow">
                    From layer
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => {
                  const start = Date.parse(i.start);
                  const end = Date.parse(i.end);
                  return (
                    <tr key={`${i.schedule}@${i.start}`} class={start <= now && now < end ? "current" : undefined}>
                      <th scope="row">
                        {formatRange(start, end, localZone)}
                        {start <= now && now < end && <span class="badge oc-now">now</span>}
                      </th>
                      <td>{formatDuration(end - start)}</td>
                      <td>
                        <Link href={`/schedules/${enc(i.schedule)}`}>{i.schedule}</Link>
                      </td>
                      <td class="hide-narrow">{i.source ?? "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      {person && <CalendarFeed path={`/api/v1/people/${enc(person)}/feeds`} what={`${who}’s shifts`} id="feed-person" />}
    </section>
  );
}

// ---- On-call health ----

// "2026Q4" for the quarter `ms` falls in (UTC), shifted by `delta` quarters.
function quarterOf(ms: number, delta = 0): string {
  const d = new Date(ms);
  const q = d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3) + delta;
  return `${Math.floor(q / 4)}Q${(q % 4) + 1}`;
}

const QUARTER_MONTHS = ["Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec"];

function quarterLabel(q: string): string {
  const [year, n] = q.split("Q");
  return `Q${n} ${year} (${QUARTER_MONTHS[Number(n) - 1]})`;
}

const hours = (h: number) => (Math.round(h * 10) / 10).toLocaleString();

// "Amara L." for the bar chart's narrow labels.
function shortName(people: Map<string, Person>, name: string): string {
  const full = displayName(people, name);
  const parts = full.split(/\s+/);
  return parts.length > 1 ? `${parts[0]} ${parts[parts.length - 1][0]}.` : full.slice(0, 12);
}

export function OnCallReportPage() {
  useTitle("On-call health");
  const now = useNow(3_600_000);
  const [quarter, setQuarter] = useState(quarterOf(now));
  const [maxWeeks, setMaxWeeks] = useState("");
  const people = usePeople();
  const report = useAsync(
    (signal) => get<FairnessReport>(`/api/v1/oncall/report${qs({ quarter, max_weeks: maxWeeks })}`, signal),
    [quarter, maxWeeks],
  );
  const r = report.data;
  const quarters = [-3, -2, -1, 0, 1].map((d) => quarterOf(now, d));
  const onCall = (r?.people ?? []).filter((p) => p.hours > 0);
  const over = onCall.filter((p) => p.over_policy);
  const bars = onCall
    .slice()
    .sort((a, b) => b.hours - a.hours)
    .map((p) => ({ label: shortName(people, p.person), value: Math.round(p.hours), href: `/people/${enc(p.person)}`, className: p.over_policy ? "load-over" : "load-ok" }));

  return (
    <>
      <PageHeader
        title="On-call health"
        subtitle="How on-call time was shared in a quarter: hours, weeks and nights per person, and gaps per schedule."
        actions={
          <Link class="button" href="/oncall">
            Who is on call
          </Link>
        }
      />
      <form class="filters" aria-label="Report options" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="r-quarter">Quarter</label>
          <select id="r-quarter" value={quarter} onChange={(e) => setQuarter((e.target as HTMLSelectElement).value)}>
            {quarters.map((q) => (
              <option value={q} key={q}>
                {quarterLabel(q)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="r-weeks">Weeks on call allowed</label>
          <select id="r-weeks" value={maxWeeks} onChange={(e) => setMaxWeeks((e.target as HTMLSelectElement).value)}>
            <option value="">Policy default{r && !maxWeeks ? ` (${r.policy.max_weeks_per_quarter})` : ""}</option>
            {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
              <option value={String(n)} key={n}>
                {n} per quarter
              </option>
            ))}
          </select>
        </div>
      </form>
      {report.error ? (
        <ErrorMessage error={report.error} />
      ) : !r ? (
        <Loading />
      ) : !onCall.length ? (
        <p class="muted" data-testid="empty-state">
          Nobody was on call in {quarterLabel(quarter)}: no schedule covers it.
        </p>
      ) : (
        <>
          <ul class="oc-stats" aria-label="Summary">
            <li>
              <span class="stat-value">{onCall.length}</span>
              <span class="stat-label">people on call</span>
            </li>
            <li class={over.length ? "warn" : undefined}>
              <span class="stat-value">{over.length}</span>
              <span class="stat-label">over the policy of {plural(r.policy.max_weeks_per_quarter, "week")}</span>
            </li>
            <li>
              <span class="stat-value">{hours(r.schedules.reduce((a, s) => a + (s.gap_hours ?? 0), 0))}</span>
              <span class="stat-label">hours with nobody on call</span>
            </li>
          </ul>
          <div class="grid">
            <section class="card" aria-labelledby="h-hours">
              <h2 id="h-hours">Hours on call per person</h2>
              <BarChart bars={bars} label="Hours on call per person" onBar={(b) => b.href && navigate(b.href)} />
              <p class="muted small legend">
                <span class="oc-key load-over" aria-hidden="true" /> over policy <span class="oc-key load-ok" aria-hidden="true" /> within policy
              </p>
            </section>
            <section class="card" aria-labelledby="h-schedules">
              <h2 id="h-schedules">Schedules</h2>
              <TableWrap label="Schedules">
                <table class="data" data-testid="report-schedules">
                  <thead>
                    <tr>
                      <th scope="col">Schedule</th>
                      <th scope="col" class="num">
                        Hours
                      </th>
                      <th scope="col" class="num">
                        Gaps (h)
                      </th>
                      <th scope="col" class="num" title="1 when everyone carried the same load, 0 when one person carried it all">
                        Balance
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.schedules.map((s) => (
                      <tr key={s.schedule}>
                        <th scope="row">
                          <Link href={`/schedules/${enc(s.schedule)}`}>{s.schedule}</Link>
                        </th>
                        <td class="num">{hours(s.hours)}</td>
                        <td class={`num${(s.gap_hours ?? 0) > 0 ? " warn" : ""}`}>{hours(s.gap_hours ?? 0)}</td>
                        <td class="num">{s.balance.toFixed(2)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </section>
          </div>
          <section class="card" aria-labelledby="h-people">
            <h2 id="h-people">People</h2>
            <p class="muted small">
              {formatDateTime(Date.parse(r.from), "UTC")} to {formatDateTime(Date.parse(r.to), "UTC")} UTC. Off-hours: on call outside the person’s working hours
              (their <code>workingHours</code>, by default 09:00–17:00 Monday to Friday, in their zone). A week counts when they were on call at any time in it.
            </p>
            <TableWrap label="People">
              <table class="data" data-testid="report-people">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col" class="hide-narrow">
                      Time zone
                    </th>
                    <th scope="col" class="num">
                      Hours
                    </th>
                    <th scope="col" class="num">
                      Weeks
                    </th>
                    <th scope="col" class="num">
                      Off-hours
                    </th>
                    <th scope="col" class="num hide-narrow">
                      Shifts
                    </th>
                    <th scope="col" class="num hide-narrow">
                      Pages
                    </th>
                    <th scope="col">Policy</th>
                  </tr>
                </thead>
                <tbody>
                  {r.people
                    .slice()
                    .sort((a, b) => b.hours - a.hours || a.person.localeCompare(b.person))
                    .map((p) => (
                      <tr key={p.person} data-person={p.person} class={p.over_policy ? "over-policy" : undefined}>
                        <th scope="row">
                          <Link href={`/people/${enc(p.person)}`}>{displayName(people, p.person)}</Link>
                        </th>
                        <td class="hide-narrow">{p.timeZone}</td>
                        <td class="num">{hours(p.hours)}</td>
                        <td class="num">{p.weeks}</td>
                        <td class="num">
                          {hours(p.off_hours)}
                          {p.hours > 0 && <span class="muted small"> ({Math.round((p.off_hours / p.hours) * 100)}%)</span>}
                        </td>
                        <td class="num hide-narrow">{p.shifts}</td>
                        <td class="num hide-narrow">{p.pages}</td>
                        <td>
                          {p.over_policy ? (
                            <span class="badge oc-over" title={p.reason}>
                              over policy
                            </span>
                          ) : p.hours > 0 ? (
                            <span class="badge oc-ok">ok</span>
                          ) : (
                            <span class="muted small">not on call</span>
                          )}
                          {p.over_policy && p.reason && <span class="small block muted">{p.reason}</span>}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        </>
      )}
    </>
  );
}
