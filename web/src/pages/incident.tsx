// One incident: what it is (status, urgency, service, escalation policy and level, who is paged),
// its timeline, alerts, pages and notification deliveries, and for responders of the service's
// team the actions: acknowledge, resolve (with the "was it actionable?" verdict for alert
// quality), snooze and reassign. Every action posts to the API and shows the answer.

import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, enc, get, request } from "../api";
import { displayName, usePeople } from "../components/oncall";
import {
  displayActorOrSource,
  elapsed,
  People,
  PersonLink,
  PolicyLink,
  StatusBadge,
  UrgencyBadge,
} from "../components/paging";
import { TableWrap } from "../components/sort";
import { ErrorMessage, ExtLink, Facts, Loading, PageHeader, Time } from "../components/ui";
import { formatDateTime, localZone } from "../components/zone";
import { useAsync, useNow, useTitle } from "../hooks";
import type { PageProps } from "../pages";
import { Link } from "../router";
import { allows, session } from "../session";
import { useStore } from "../store";
import type { IncidentAlert, IncidentDetail, NotificationDelivery, Person, Service } from "../types";

export const SNOOZE_CHOICES: [string, string][] = [
  ["30m", "30 minutes"],
  ["1h", "1 hour"],
  ["2h", "2 hours"],
  ["4h", "4 hours"],
  ["8h", "8 hours"],
  ["24h", "24 hours"],
];

export function IncidentPage({ params }: PageProps) {
  const number = params.number;
  const now = useNow(15_000);
  const s = useStore(session);
  const people = usePeople();
  // The latest answer: a reload's or an action's. Reloads every 15 s while the incident is
  // open, as escalation and deliveries move on by themselves.
  const [data, setData] = useState<IncidentDetail | undefined>(undefined);
  const tick = data && data.status !== "resolved" ? Math.floor(now / 15_000) : 0;
  const inc = useAsync((signal) => get<IncidentDetail>(`/api/v1/incidents/${enc(number)}`, signal), [number, tick]);
  useEffect(() => {
    if (inc.data) setData(inc.data);
  }, [inc.data]);
  const service = useAsync(
    (signal) => (data ? get<Service>(`/api/v1/services/${enc(data.service)}`, signal).catch(() => null) : Promise.resolve(null)),
    [data?.service],
  );
  useTitle(`Incident #${number}`);

  if (inc.error && !data) {
    return (
      <>
        <PageHeader title={`Incident #${number}`} />
        <ErrorMessage error={inc.error} what={`Incident #${number}`} />
        <p>
          <Link href="/incidents">All incidents</Link>
        </p>
      </>
    );
  }
  if (!data) return <Loading />;
  const owner = service.data?.spec.owner;
  // Responders of the service's team act on its incidents (global responders on every one).
  const canAct = service.loading ? false : owner ? allows(s, "responder", owner) : allows(s, "responder");

  return (
    <>
      <PageHeader
        title={data.title}
        subtitle={
          <>
            Incident <span class="mono">#{data.number}</span> on <Link href={`/services/${enc(data.service)}`}>{data.service}</Link> <StatusBadge status={data.status} />{" "}
            <UrgencyBadge urgency={data.urgency} />
          </>
        }
        actions={
          <Link class="button" href="/incidents">
            All incidents
          </Link>
        }
      />
      {canAct ? (
        <Actions incident={data} people={people} onDone={setData} />
      ) : (
        !service.loading && (
          <p class="muted small readonly-note" data-testid="incident-read-only">
            Read-only: acting on this incident needs the responder role{owner ? ` on team ${owner}` : ""}.
          </p>
        )
      )}
      <div class="grid">
        <section class="card" aria-labelledby="h-inc-facts">
          <h2 id="h-inc-facts">Details</h2>
          <Facts
            rows={[
              ["Status", <StatusBadge status={data.status} key="s" />],
              ["Urgency", <UrgencyBadge urgency={data.urgency} key="u" />],
              ["Service", <Link href={`/services/${enc(data.service)}`}>{data.service}</Link>],
              ["Owner", owner ? <Link href={`/teams/${enc(owner)}`}>{owner}</Link> : undefined],
              ["Escalation policy", data.escalationPolicy ? <PolicyLink name={data.escalationPolicy} /> : <span class="warn">none: nobody is paged</span>],
              ["Level", data.escalationPolicy ? `level ${data.level}${data.loop > 0 ? `, pass ${data.loop + 1}` : ""}` : undefined],
              [data.status === "resolved" ? "Was paged" : "Paged now", <People names={data.assignees} people={people} key="p" />],
              ["Opened", <When iso={data.createdAt} now={now} key="o" />],
              [
                "Acknowledged",
                data.acknowledgedAt ? (
                  <>
                    <When iso={data.acknowledgedAt} now={now} /> by {displayActorOrSource(data.acknowledgedBy ?? "", people)}{" "}
                    <span class="muted small">after {elapsed(data.createdAt, data.acknowledgedAt)}</span>
                  </>
                ) : undefined,
              ],
              ["Snoozed until", data.snoozedUntil && data.status === "acknowledged" ? <When iso={data.snoozedUntil} now={now} /> : undefined],
              [
                "Resolved",
                data.resolvedAt ? (
                  <>
                    <When iso={data.resolvedAt} now={now} /> by {displayActorOrSource(data.resolvedBy ?? "", people)}{" "}
                    <span class="muted small">after {elapsed(data.createdAt, data.resolvedAt)}</span>
                  </>
                ) : undefined,
              ],
              [
                "Actionable",
                data.actionable === undefined ? undefined : (
                  <span data-testid="incident-actionable" class={data.actionable ? "ok-text" : "warn"}>
                    {data.actionable ? "yes: someone had to act" : "no: noise"}
                  </span>
                ),
              ],
              ["Alerts", String(data.alertCount)],
            ]}
          />
        </section>
        <section class="card" aria-labelledby="h-inc-timeline">
          <h2 id="h-inc-timeline">Timeline</h2>
          <ol class="inc-timeline" data-testid="incident-timeline">
            {data.log.map((e, i) => (
              <li key={i} data-kind={e.kind} class={`tle tle-${e.kind.replace(/\s+/g, "-")}`}>
                <time dateTime={e.at} title={formatDateTime(Date.parse(e.at), localZone)} class="tle-time">
                  {formatDateTime(Date.parse(e.at), localZone)}
                </time>
                <span class="tle-kind">{e.kind}</span>
                {e.actor && <span class="tle-actor"> by {displayActorOrSource(e.actor, people)}</span>}
                {e.detail && <span class="tle-detail">: {e.detail}</span>}
              </li>
            ))}
          </ol>
          <p class="muted small">Times in {localZone}.</p>
        </section>
      </div>
      <Alerts alerts={data.alerts} now={now} />
      <section class="card" aria-labelledby="h-inc-pages">
        <h2 id="h-inc-pages">Pages</h2>
        {!data.pages.length ? (
          <p class="muted" data-testid="no-pages">
            Nobody has been paged{data.escalationPolicy ? " yet" : ": the service has no escalation policy"}.
          </p>
        ) : (
          <TableWrap label="Pages">
            <table class="data" data-testid="incident-pages">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">When</th>
                  <th scope="col">Level</th>
                  <th scope="col">Through</th>
                </tr>
              </thead>
              <tbody>
                {data.pages.map((p, i) => (
                  <tr key={i} data-person={p.person}>
                    <th scope="row">
                      <PersonLink name={p.person} people={people} />
                    </th>
                    <td>
                      <When iso={p.at} now={now} />
                    </td>
                    <td>
                      level {p.level}
                      {p.loop > 0 ? `, pass ${p.loop + 1}` : ""}
                    </td>
                    <td>{p.schedule ? <Link href={`/schedules/${enc(p.schedule)}`}>schedule {p.schedule}</Link> : <span class="muted">directly</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <Deliveries deliveries={data.deliveries} people={people} now={now} />
    </>
  );
}

function When({ iso, now }: { iso: string; now: number }) {
  return (
    <>
      {formatDateTime(Date.parse(iso), localZone)} <span class="muted small">(<Time iso={iso} now={now} />)</span>
    </>
  );
}

// ---- Actions ----

function Actions({ incident, people, onDone }: { incident: IncidentDetail; people: Map<string, Person>; onDone: (d: IncidentDetail) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  const [dialog, setDialog] = useState<"" | "resolve" | "snooze" | "reassign">("");

  const act = async (verb: string, body: unknown, message: string): Promise<boolean> => {
    setBusy(true);
    setError("");
    setDone("");
    try {
      const r = await request<IncidentDetail>("POST", `/api/v1/incidents/${incident.number}/${verb}`, { body });
      onDone(r.data);
      setDone(message);
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const open = incident.status !== "resolved";
  return (
    <div class="inc-actions" data-testid="incident-actions">
      <div class="button-group" role="group" aria-label="Incident actions">
        {incident.status === "triggered" && (
          <button type="button" class="button primary" disabled={busy} onClick={() => act("acknowledge", {}, "Acknowledged: escalation stopped.")}>
            Acknowledge
          </button>
        )}
        {open && (
          <button type="button" class="button" disabled={busy} onClick={() => setDialog("resolve")}>
            Resolve
          </button>
        )}
        {open && (
          <button type="button" class="button" disabled={busy} onClick={() => setDialog("snooze")}>
            Snooze
          </button>
        )}
        {open && (
          <button type="button" class="button" disabled={busy} onClick={() => setDialog("reassign")}>
            Reassign
          </button>
        )}
      </div>
      {!open && incident.actionable === undefined && (
        <div class="verdict" role="group" aria-labelledby="verdict-q">
          <span id="verdict-q">Was this incident actionable?</span>{" "}
          <button type="button" class="button small" disabled={busy} onClick={() => act("resolve", { actionable: true }, "Thanks: marked actionable.")}>
            Yes, actionable
          </button>{" "}
          <button type="button" class="button small" disabled={busy} onClick={() => act("resolve", { actionable: false }, "Thanks: marked as noise.")}>
            No, noise
          </button>
        </div>
      )}
      <p role="status" class="small ok-text" data-testid="action-status">
        {done}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {dialog === "resolve" && (
        <ActionDialog title={`Resolve incident #${incident.number}?`} onClose={() => setDialog("")}>
          {(close) => <ResolveForm busy={busy} onCancel={close} onResolve={async (actionable) => (await act("resolve", actionable === null ? {} : { actionable }, "Resolved.")) && close()} />}
        </ActionDialog>
      )}
      {dialog === "snooze" && (
        <ActionDialog title={`Snooze incident #${incident.number}`} onClose={() => setDialog("")}>
          {(close) => (
            <SnoozeForm
              busy={busy}
              onCancel={close}
              onSnooze={async (duration, label) => (await act("snooze", { duration }, `Snoozed for ${label}: it triggers again after that.`)) && close()}
            />
          )}
        </ActionDialog>
      )}
      {dialog === "reassign" && (
        <ActionDialog title={`Reassign incident #${incident.number}`} onClose={() => setDialog("")}>
          {(close) => (
            <ReassignForm
              busy={busy}
              people={people}
              onCancel={close}
              onReassign={async (person) => (await act("reassign", { person }, `Reassigned to ${displayName(people, person)}: paged now.`)) && close()}
            />
          )}
        </ActionDialog>
      )}
    </div>
  );
}

// A modal <dialog> around a form; `children` gets the function that closes it.
function ActionDialog({ title, onClose, children }: { title: string; onClose: () => void; children: (close: () => void) => ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    return () => d.open && d.close();
  }, []);
  const close = () => ref.current?.close();
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="action-title" onClose={onClose}>
      <h2 id="action-title">{title}</h2>
      {children(close)}
    </dialog>
  );
}

function ResolveForm({ busy, onCancel, onResolve }: { busy: boolean; onCancel: () => void; onResolve: (actionable: boolean | null) => void }) {
  const [verdict, setVerdict] = useState<"" | "yes" | "no">("");
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onResolve(verdict === "" ? null : verdict === "yes");
      }}
    >
      <fieldset class="verdict-choice">
        <legend>Was this incident actionable?</legend>
        <p class="hint">Your answer feeds alert quality: alerts that are mostly noise should be fixed or turned off.</p>
        <label>
          <input type="radio" name="actionable" value="yes" checked={verdict === "yes"} onChange={() => setVerdict("yes")} /> Yes: someone had to act
        </label>
        <label>
          <input type="radio" name="actionable" value="no" checked={verdict === "no"} onChange={() => setVerdict("no")} /> No: it was noise
        </label>
        <label>
          <input type="radio" name="actionable" value="" checked={verdict === ""} onChange={() => setVerdict("")} /> Don’t say
        </label>
      </fieldset>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={busy}>
          Resolve incident
        </button>
      </div>
    </form>
  );
}

function SnoozeForm({ busy, onCancel, onSnooze }: { busy: boolean; onCancel: () => void; onSnooze: (duration: string, label: string) => void }) {
  const [duration, setDuration] = useState("1h");
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSnooze(duration, SNOOZE_CHOICES.find(([d]) => d === duration)?.[1] ?? duration);
      }}
    >
      <p class="hint">A snoozed incident counts as acknowledged and pages again when the time is up, unless it is resolved first.</p>
      <div class="field">
        <label for="snooze-for">Snooze for</label>
        <select id="snooze-for" value={duration} onChange={(e) => setDuration((e.target as HTMLSelectElement).value)}>
          {SNOOZE_CHOICES.map(([d, label]) => (
            <option value={d} key={d}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={busy}>
          Snooze incident
        </button>
      </div>
    </form>
  );
}

function ReassignForm({
  busy,
  people,
  onCancel,
  onReassign,
}: {
  busy: boolean;
  people: Map<string, Person>;
  onCancel: () => void;
  onReassign: (person: string) => void;
}) {
  const [person, setPerson] = useState("");
  const sorted = [...people.values()].sort((a, b) => displayName(people, a.metadata.name).localeCompare(displayName(people, b.metadata.name)));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (person) onReassign(person);
      }}
    >
      <p class="hint">The person is paged now; if they do not acknowledge, escalation starts again at the policy’s first level.</p>
      <div class="field">
        <label for="reassign-to">Person</label>
        <select id="reassign-to" value={person} required onChange={(e) => setPerson((e.target as HTMLSelectElement).value)}>
          <option value="">Choose a person…</option>
          {sorted.map((p) => (
            <option value={p.metadata.name} key={p.metadata.name}>
              {displayName(people, p.metadata.name)}
            </option>
          ))}
        </select>
      </div>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={busy || !person}>
          Reassign incident
        </button>
      </div>
    </form>
  );
}

// ---- Alerts and deliveries ----

interface AlertLink {
  href: string;
  text?: string;
}

function alertLinks(a: IncidentAlert): AlertLink[] {
  const links = a.details.links;
  const out: AlertLink[] = [];
  if (Array.isArray(links)) {
    for (const l of links) {
      if (l && typeof l === "object" && typeof (l as AlertLink).href === "string") out.push(l as AlertLink);
    }
  }
  if (typeof a.details.client_url === "string") {
    out.push({ href: a.details.client_url, text: typeof a.details.client === "string" ? a.details.client : "Source" });
  }
  return out;
}

// The alert's details without the links shown above them.
function detailsShown(a: IncidentAlert): Record<string, unknown> {
  const { links: _links, client: _client, client_url: _url, ...rest } = a.details;
  return rest;
}

function Alerts({ alerts, now }: { alerts: IncidentAlert[]; now: number }) {
  return (
    <section class="card" aria-labelledby="h-inc-alerts">
      <h2 id="h-inc-alerts">Alerts ({alerts.length})</h2>
      {!alerts.length ? (
        <p class="muted">No alerts.</p>
      ) : (
        <ul class="inc-alerts" data-testid="incident-alerts">
          {alerts.map((a) => {
            const links = alertLinks(a);
            const details = detailsShown(a);
            return (
              <li key={a.id} class="inc-alert" data-alert={a.dedupKey} data-status={a.status}>
                <div class="inc-alert-head">
                  <span class={`badge sev-badge sev-${a.severity}`}>{a.severity}</span> <strong>{a.summary}</strong>{" "}
                  <span class={`badge alert-${a.status}`}>{a.status}</span>
                </div>
                <Facts
                  rows={[
                    ["Source", a.source],
                    ["Component", a.component],
                    ["Group", a.group],
                    ["Class", a.class],
                    ["Dedup key", <span class="mono">{a.dedupKey}</span>],
                    ["Integration", a.integration ? `${a.integration} (${a.integrationType})` : undefined],
                    ["Events", String(a.eventCount)],
                    ["First", <Time iso={a.createdAt} now={now} />],
                    ["Last", <Time iso={a.updatedAt} now={now} />],
                    ["Resolved", a.resolvedAt ? <Time iso={a.resolvedAt} now={now} /> : undefined],
                  ]}
                />
                {links.length > 0 && (
                  <ul class="links" data-testid="alert-links">
                    {links.map((l) => (
                      <li key={l.href}>
                        <ExtLink href={l.href}>{l.text || undefined}</ExtLink>
                      </li>
                    ))}
                  </ul>
                )}
                {Object.keys(details).length > 0 && (
                  <details class="alert-details">
                    <summary>Details</summary>
                    <pre>{JSON.stringify(details, null, 2)}</pre>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

const CHANNEL: Record<string, string> = { email: "Email", sms: "SMS", voice: "Voice call", slack: "Slack", teams: "Teams", webhook: "Webhook" };

function Deliveries({ deliveries, people, now }: { deliveries: NotificationDelivery[]; people: Map<string, Person>; now: number }) {
  return (
    <section class="card" aria-labelledby="h-inc-deliveries">
      <h2 id="h-inc-deliveries">Notifications</h2>
      {!deliveries.length ? (
        <p class="muted" data-testid="no-deliveries">
          No notifications.
        </p>
      ) : (
        <TableWrap label="Notifications">
          <table class="data" data-testid="incident-deliveries">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Attempts
                </th>
                <th scope="col">When</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-channel={d.channel} data-status={d.status} data-person={d.person}>
                  <th scope="row">
                    <PersonLink name={d.person} people={people} />
                  </th>
                  <td>
                    {CHANNEL[d.channel] ?? d.channel}
                    <div class="muted small mono delivery-address">{d.address}</div>
                  </td>
                  <td>
                    <span class={`badge delivery-${d.status}`}>{d.status}</span>
                  </td>
                  <td class="num">{d.attempts}</td>
                  <td>
                    {d.sentAt ? (
                      <>
                        sent <Time iso={d.sentAt} now={now} />
                      </>
                    ) : d.status === "pending" ? (
                      <>
                        due <Time iso={d.dueAt} now={now} />
                      </>
                    ) : (
                      <Time iso={d.createdAt} now={now} />
                    )}
                  </td>
                  <td class="small">{d.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
