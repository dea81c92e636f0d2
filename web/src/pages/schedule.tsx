// Schedules: the list, and one schedule with its layers, a timeline of a week or two (each layer
// and the final schedule), its overrides, creating and deleting overrides (responders of the
// schedule's team), and its calendar feed.

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, enc, get, qs, request } from "../api";
import { CatalogList } from "../components/catalog_list";
import { CalendarFeed, displayName, OnCallPerson, usePeople, ZoneSelect, type ZoneMode } from "../components/oncall";
import { TableWrap } from "../components/sort";
import { assignColours, Timeline, TimelineLegend, type TimelineRow } from "../components/timeline";
import { EmptyState, ErrorMessage, Facts, Loading, PageHeader, RefLink } from "../components/ui";
import { formatDateTime, formatDay, formatDuration, formatOffset, formatRange, fromInputValue, localZone, startOfDay, toInputValue } from "../components/zone";
import { invalidate } from "../data";
import { localTime } from "../format";
import { useAsync, useNow, useTitle } from "../hooks";
import { Link } from "../router";
import { allows, displayActor, session } from "../session";
import { useStore } from "../store";
import type { FinalSchedule, Override, Person, Restriction, Schedule, ScheduleLayer, Shift } from "../types";
import type { PageProps } from "../pages";

// An instant as the API wants it: RFC 3339 in UTC, whole seconds.
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function SchedulesPage() {
  useTitle("Schedules");
  return (
    <>
      <PageHeader title="Schedules" subtitle="On-call rotations: who is on call when, layer by layer." />
      <CatalogList<Schedule>
        plural="schedules"
        noun="schedule"
        rowKey={(s) => s.metadata.name}
        columns={[
          { label: "Schedule", cell: (s) => <Link href={`/schedules/${enc(s.metadata.name)}`}>{s.metadata.title ?? s.metadata.name}</Link> },
          { label: "Name", cell: (s) => <span class="mono">{s.metadata.name}</span>, class: "hide-narrow" },
          { label: "Team", cell: (s) => (s.spec.team ? <RefLink kind="Team" name={s.spec.team} /> : <span class="muted">—</span>) },
          { label: "Time zone", cell: (s) => s.spec.timeZone, class: "hide-narrow" },
          { label: "Layers", cell: (s) => s.spec.layers?.length ?? 0, class: "num" },
        ]}
        empty={<NoSchedulesHelp />}
      />
    </>
  );
}

export function NoSchedulesHelp() {
  return (
    <EmptyState title="No on-call schedules yet">
      <p>
        Declare a schedule as YAML (<code>kind: Schedule</code> with a time zone and layers of participants who take turns) and run{" "}
        <code>plinth apply -f catalog/</code>, or import one from PagerDuty with <code>plinth oncall import</code>.
      </p>
    </EmptyState>
  );
}

const DAY_NAMES: Record<string, string> = { monday: "Mon", tuesday: "Tue", wednesday: "Wed", thursday: "Thu", friday: "Fri", saturday: "Sat", sunday: "Sun" };

// "Mon, Tue, Wed, Thu, Fri 09:00 for 8h; daily 23:00–07:00": a layer's restrictions for people.
function describeRestrictions(rs: Restriction[]): string {
  const groups = new Map<string, string[]>();
  for (const r of rs) {
    const length = r.duration ? ` for ${r.duration}` : r.end ? `–${r.type === "weekly" && r.endDay && r.endDay !== r.startDay ? DAY_NAMES[r.endDay] + " " : ""}${r.end}` : "";
    const key = `${r.type === "daily" ? "daily " : ""}${r.start}${length}`;
    const list = groups.get(key) ?? [];
    if (r.type === "weekly" && r.startDay) list.push(DAY_NAMES[r.startDay] ?? r.startDay);
    groups.set(key, list);
  }
  return [...groups].map(([key, days]) => (days.length ? `${days.join(", ")} ${key}` : key)).join("; ");
}

function LayerList({ layers, zone, people }: { layers: ScheduleLayer[]; zone: string; people: Map<string, Person> }) {
  return (
    <TableWrap label="Layers">
      <table class="data" data-testid="layers-table">
        <caption class="visually-hidden">Layers, lowest first: a later layer takes over wherever it has someone on call</caption>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Participants, in turn</th>
            <th scope="col">Turns</th>
            <th scope="col">On call</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((l) => (
            <tr key={l.name}>
              <th scope="row">{l.name}</th>
              <td>
                {l.participants.map((p, i) => (
                  <span key={i}>
                    {i > 0 && ", "}
                    <Link href={`/people/${enc(p)}`}>{displayName(people, p)}</Link>
                  </span>
                ))}
              </td>
              <td>
                {l.turn} from {l.start.replace("T", " ")}
                {l.end ? ` until ${l.end.replace("T", " ")}` : ""} <span class="muted small">({zone})</span>
              </td>
              <td>{l.restrictions?.length ? describeRestrictions(l.restrictions) : "around the clock"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function SchedulePage({ params }: PageProps) {
  const name = params.name;
  const s = useStore(session);
  const now = useNow(60_000);
  const people = usePeople();
  const sched = useAsync((signal) => get<Schedule>(`/api/v1/schedules/${enc(name)}`, signal), [name]);
  const [mode, setMode] = useState<ZoneMode>("schedule");
  const [days, setDays] = useState(7);
  const [offset, setOffset] = useState(0); // the window's first day, in days from today
  const [version, setVersion] = useState(0); // bumped after a change, to reload
  const [slot, setSlot] = useState<{ shift: Shift; n: number } | null>(null);
  const [status, setStatus] = useState("");
  const schedule = sched.data;
  const spec = schedule?.spec;
  useTitle(schedule?.metadata.title ?? name);

  const zone = mode === "local" || !spec ? localZone : spec.timeZone;
  const from = startOfDay(now, zone, offset);
  const to = startOfDay(now, zone, offset + days);
  const final = useAsync(
    (signal) => (spec ? get<FinalSchedule>(`/api/v1/schedules/${enc(name)}/final${qs({ from: iso(from), to: iso(to) })}`, signal) : Promise.resolve(undefined)),
    [name, !!spec, from, to, version],
  );
  const current = useAsync(
    (signal) => get<{ shift: Shift }>(`/api/v1/schedules/${enc(name)}/oncall`, signal),
    [name, version, Math.floor(now / 300_000)],
  );
  const overrides = useAsync((signal) => get<{ items: Override[] }>(`/api/v1/schedules/${enc(name)}/overrides`, signal), [name, version]);

  if (sched.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={sched.error} what={`The schedule “${name}”`} />
        <p>
          <Link href="/schedules">All schedules</Link>
        </p>
      </>
    );
  }
  if (!schedule || !spec) {
    return (
      <>
        <PageHeader title={name} />
        <Loading />
      </>
    );
  }

  const canOverride = allows(s, "responder", spec.team);
  const layers = spec.layers ?? [];
  const participants = [...new Set(layers.flatMap((l) => l.participants))];
  const rows: TimelineRow[] = final.data
    ? [...final.data.layers.map((l) => ({ key: l.name, label: l.name, shifts: l.shifts })), { key: "final", label: "Final schedule", shifts: final.data.final }]
    : [];
  const colours = assignColours(participants, rows);
  const changed = (message: string) => {
    invalidate();
    setStatus(message);
    setVersion((v) => v + 1);
  };
  const pickSlot = (shift: Shift) => setSlot((old) => ({ shift, n: (old?.n ?? 0) + 1 }));
  const onCall = current.data?.shift;

  return (
    <>
      <PageHeader
        title={schedule.metadata.title ?? name}
        subtitle={schedule.metadata.description ?? (spec.team ? <>On-call schedule of team <RefLink kind="Team" name={spec.team} /></> : "On-call schedule")}
      />
      <Facts
        rows={[
          ["Name", <span class="mono">{name}</span>],
          ["Team", spec.team ? <RefLink kind="Team" name={spec.team} /> : undefined],
          [
            "Time zone",
            <>
              {spec.timeZone} <span class="muted small">({formatOffset(now, spec.timeZone)}, now {localTime(spec.timeZone, now)})</span>
            </>,
          ],
          [
            "On call now",
            onCall ? (
              <span data-testid="on-call-now">
                <OnCallPerson person={onCall.person} people={people} />{" "}
                <span class="muted small">until {formatDateTime(Date.parse(onCall.end), localZone)} your time</span>
              </span>
            ) : current.error ? (
              <span class="muted">unknown</span>
            ) : (
              "…"
            ),
          ],
        ]}
      />
      {status && (
        <p class="ok" role="status">
          {status}
        </p>
      )}

      <section class="card" aria-labelledby="h-timeline">
        <h2 id="h-timeline">Timeline</h2>
        <div class="filters tl-controls">
          <div class="button-group" role="group" aria-label="Move the timeline">
            <button type="button" class="button" aria-label={`Previous ${days} days`} onClick={() => setOffset((o) => o - days)}>
              ← Previous
            </button>
            <button type="button" class="button" onClick={() => setOffset(0)} aria-pressed={offset === 0}>
              Today
            </button>
            <button type="button" class="button" aria-label={`Next ${days} days`} onClick={() => setOffset((o) => o + days)}>
              Next →
            </button>
          </div>
          <div class="field">
            <label for="tl-days">Days</label>
            <select id="tl-days" value={String(days)} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
              <option value="7">7 days</option>
              <option value="14">14 days</option>
            </select>
          </div>
          <ZoneSelect id="tl-zone" mode={mode} scheduleZone={spec.timeZone} onChange={setMode} />
        </div>
        <p class="tl-range" aria-live="polite">
          {formatDay(from, zone)} – {formatDay(to - 1, zone)} · times in {zone}
        </p>
        {final.error ? (
          <ErrorMessage error={final.error} />
        ) : !final.data ? (
          <Loading />
        ) : (
          <>
            <Timeline
              label={`Timeline of ${schedule.metadata.title ?? name}, ${formatDay(from, zone)} to ${formatDay(to - 1, zone)}`}
              rows={rows}
              from={from}
              to={to}
              zone={zone}
              now={now}
              colours={colours}
              people={people}
              onShift={canOverride ? pickSlot : undefined}
            />
            <TimelineLegend colours={colours} people={people} />
            {canOverride && <p class="muted small">Select a shift of the final schedule to fill in the override form with its times.</p>}
            <details class="tl-list">
              <summary>The final schedule as a list</summary>
              <ShiftTable shifts={final.data.final} zone={zone} people={people} />
            </details>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="h-overrides">
        <h2 id="h-overrides">Overrides</h2>
        <p class="muted small">An override puts someone else on call for a time slot, above every layer: for a swap, a sick day or a holiday.</p>
        {overrides.error ? (
          <ErrorMessage error={overrides.error} />
        ) : !overrides.data ? (
          <Loading />
        ) : (
          <OverrideTable items={overrides.data.items} zone={zone} people={people} now={now} canDelete={canOverride} schedule={name} onDeleted={changed} />
        )}
        {canOverride ? (
          <OverrideForm
            schedule={name}
            zone={zone}
            participants={participants}
            people={people}
            slot={slot}
            me={displayActor(s?.actor ?? "")}
            onCreated={(o) => changed(`Override created: ${displayName(people, o.person)}, ${formatRange(Date.parse(o.start), Date.parse(o.end), zone)} (${zone}).`)}
          />
        ) : (
          <p class="muted small readonly-note" data-testid="override-read-only">
            Read-only: creating overrides needs the responder role{spec.team ? ` on team ${spec.team}` : ""}.
          </p>
        )}
      </section>

      <section class="card" aria-labelledby="h-layers">
        <h2 id="h-layers">Layers</h2>
        <p class="muted small">A later layer takes over wherever it has someone on call; where no layer has anyone, there is a gap.</p>
        <LayerList layers={layers} zone={spec.timeZone} people={people} />
      </section>

      <section class="card" aria-labelledby="h-calendar">
        <h2 id="h-calendar">Calendar</h2>
        <p class="muted small">Every shift of this schedule in your calendar app, kept up to date.</p>
        <CalendarFeed path={`/api/v1/schedules/${enc(name)}/feeds`} what={schedule.metadata.title ?? name} id="feed-schedule" />
      </section>
    </>
  );
}

function ShiftTable({ shifts, zone, people }: { shifts: Shift[]; zone: string; people: Map<string, Person> }) {
  return (
    <TableWrap label="Final schedule">
      <table class="data">
        <thead>
          <tr>
            <th scope="col">On call</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">Length</th>
            <th scope="col">From layer</th>
          </tr>
        </thead>
        <tbody>
          {shifts.map((sh) => (
            <tr key={sh.start} class={sh.person ? undefined : "gap-row"}>
              <th scope="row">
                <OnCallPerson person={sh.person} people={people} />
              </th>
              <td>{formatDateTime(Date.parse(sh.start), zone)}</td>
              <td>{formatDateTime(Date.parse(sh.end), zone)}</td>
              <td>{formatDuration(Date.parse(sh.end) - Date.parse(sh.start))}</td>
              <td>{sh.source ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function OverrideTable(props: {
  items: Override[];
  zone: string;
  people: Map<string, Person>;
  now: number;
  canDelete: boolean;
  schedule: string;
  onDeleted: (message: string) => void;
}) {
  const { items, zone, people, now, canDelete } = props;
  const [error, setError] = useState("");
  const [busy, setBusy] = useState("");
  if (!items.length) return <p class="muted" data-testid="no-overrides">No overrides from the last 30 days on.</p>;
  const remove = async (o: Override) => {
    setBusy(o.id);
    setError("");
    try {
      await request("DELETE", `/api/v1/schedules/${enc(props.schedule)}/overrides/${enc(o.id)}`);
      props.onDeleted(`Override deleted: ${displayName(people, o.person)}, ${formatRange(Date.parse(o.start), Date.parse(o.end), zone)} (${zone}).`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy("");
    }
  };
  return (
    <>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <TableWrap label="Overrides">
        <table class="data" data-testid="overrides-table">
          <thead>
            <tr>
              <th scope="col">On call</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">Reason</th>
              <th scope="col" class="hide-narrow">
                Created by
              </th>
              {canDelete && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((o) => {
              const past = Date.parse(o.end) <= now;
              return (
                <tr key={o.id} class={past ? "past" : undefined} data-override={o.id}>
                  <th scope="row">
                    <OnCallPerson person={o.person} people={people} />
                    {past && <span class="muted small"> (past)</span>}
                  </th>
                  <td>{formatDateTime(Date.parse(o.start), zone)}</td>
                  <td>{formatDateTime(Date.parse(o.end), zone)}</td>
                  <td>{o.reason || <span class="muted">—</span>}</td>
                  <td class="hide-narrow">{displayActor(o.created_by)}</td>
                  {canDelete && (
                    <td>
                      <button
                        type="button"
                        class="button subtle small"
                        disabled={busy === o.id}
                        aria-label={`Delete the override for ${displayName(people, o.person)}, ${formatRange(Date.parse(o.start), Date.parse(o.end), zone)}`}
                        onClick={() => remove(o)}
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

const FIELDS = ["person", "start", "end", "reason"] as const;
type Field = (typeof FIELDS)[number];

function OverrideForm(props: {
  schedule: string;
  zone: string;
  participants: string[];
  people: Map<string, Person>;
  slot: { shift: Shift; n: number } | null;
  me: string;
  onCreated: (o: Override) => void;
}) {
  const { zone, participants, people, slot } = props;
  const [person, setPerson] = useState("");
  const [start, setStart] = useState<number | null>(null);
  const [end, setEnd] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  // A shift picked on the timeline fills in its slot.
  useEffect(() => {
    if (!slot) return;
    setStart(Date.parse(slot.shift.start));
    setEnd(Date.parse(slot.shift.end));
    setError(null);
    form.current?.scrollIntoView({ block: "nearest" });
    form.current?.querySelector<HTMLElement>("#o-person")?.focus();
  }, [slot?.n]);

  // After a failed save, focus the first field in error, or the message.
  useEffect(() => {
    if (!error || !form.current) return;
    const target = form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [error]);

  const others = [...people.keys()].filter((p) => !participants.includes(p)).sort((a, b) => displayName(people, a).localeCompare(displayName(people, b)));
  const mine = people.has(props.me) ? props.me : "";

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, string> = {};
    if (person) body.person = person;
    if (start !== null) body.start = iso(start);
    if (end !== null) body.end = iso(end);
    if (reason.trim()) body.reason = reason.trim();
    try {
      const r = await request<Override>("POST", `/api/v1/schedules/${enc(props.schedule)}/overrides`, { body });
      props.onCreated(r.data);
      setPerson("");
      setStart(null);
      setEnd(null);
      setReason("");
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0, detail: String(err) }));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (f: Field) => error?.fieldErrors(`/${f}`) ?? [];
  const otherErrors = (error?.problem.errors ?? []).filter((x) => !FIELDS.some((f) => x.pointer === `/${f}` || x.pointer.startsWith(`/${f}/`)));
  const describedBy = (f: Field, hint?: boolean) => [hint ? "o-zone-hint" : "", fieldError(f).length ? `o-err-${f}` : ""].filter(Boolean).join(" ") || undefined;
  const Errors = ({ f }: { f: Field }) =>
    fieldError(f).length ? (
      <p class="field-error" id={`o-err-${f}`}>
        {fieldError(f).join("; ")}
      </p>
    ) : null;

  return (
    <form ref={form} class="form override-form" onSubmit={submit} aria-labelledby="h-new-override" noValidate>
      <h3 id="h-new-override">Create override</h3>
      {error && (
        <div class="error" role="alert" tabIndex={-1}>
          <p>{error.status === 409 ? `This slot overlaps another override: ${error.message} Delete that one first, or pick another slot.` : error.message}</p>
          {otherErrors.length > 0 && (
            <ul>
              {otherErrors.map((x) => (
                <li key={x.pointer}>
                  <code>{x.pointer || "/"}</code>: {x.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="form-grid">
        <div class="field span-2">
          <label for="o-person">Person</label>
          <select id="o-person" value={person} onChange={(e) => setPerson((e.target as HTMLSelectElement).value)} aria-invalid={fieldError("person").length > 0} aria-describedby={describedBy("person")}>
            <option value="">Choose who is on call…</option>
            {mine && <option value={mine}>Me ({displayName(people, mine)})</option>}
            <optgroup label="On this schedule">
              {participants.map((p) => (
                <option value={p} key={p}>
                  {displayName(people, p)}
                </option>
              ))}
            </optgroup>
            {others.length > 0 && (
              <optgroup label="Everyone else">
                {others.map((p) => (
                  <option value={p} key={p}>
                    {displayName(people, p)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
          <Errors f="person" />
        </div>
        <div class="field">
          <label for="o-start">Start</label>
          <input
            id="o-start"
            type="datetime-local"
            value={start === null ? "" : toInputValue(start, zone)}
            onInput={(e) => setStart(fromInputValue((e.target as HTMLInputElement).value, zone))}
            aria-invalid={fieldError("start").length > 0}
            aria-describedby={describedBy("start", true)}
          />
          <Errors f="start" />
        </div>
        <div class="field">
          <label for="o-end">End</label>
          <input
            id="o-end"
            type="datetime-local"
            value={end === null ? "" : toInputValue(end, zone)}
            onInput={(e) => setEnd(fromInputValue((e.target as HTMLInputElement).value, zone))}
            aria-invalid={fieldError("end").length > 0}
            aria-describedby={describedBy("end", true)}
          />
          <Errors f="end" />
        </div>
        <p class="hint span-2" id="o-zone-hint">
          Times are in {zone} ({formatOffset(start ?? Date.now(), zone)}); change “Show times in” above to enter them in another zone.
          {start !== null && end !== null && end > start && ` ${formatDuration(end - start)}.`}
        </p>
        <div class="field span-2">
          <label for="o-reason">Reason</label>
          <input id="o-reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} aria-invalid={fieldError("reason").length > 0} aria-describedby={describedBy("reason")} placeholder="e.g. swap with Ana, dentist" />
          <Errors f="reason" />
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "Creating…" : "Create override"}
        </button>
      </div>
    </form>
  );
}

