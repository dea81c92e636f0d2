// Parts shared by the on-call pages: people's display names, the calendar feed button, the
// "show times in" choice, and a shift's person.

import { useMemo, useRef, useState } from "preact/hooks";
import { ApiError, enc, get, request } from "../api";
import { allPeople } from "../data";
import { useAsync, useNow } from "../hooks";
import { Link } from "../router";
import type { OnCallNow, Person } from "../types";
import { formatDateTime, localZone } from "./zone";

// Every person by name (empty until loaded; a failure leaves names as they are).
export function usePeople(): Map<string, Person> {
  const people = useAsync(() => allPeople().catch(() => [] as Person[]), []);
  return useMemo(() => new Map((people.data ?? []).map((p) => [p.metadata.name, p])), [people.data]);
}

export function displayName(people: Map<string, Person>, name: string): string {
  return people.get(name)?.spec.displayName ?? name;
}

// A link to the person on call, or "Nobody" for a gap.
export function OnCallPerson({ person, people }: { person: string | null; people: Map<string, Person> }) {
  if (!person) return <span class="gap-label">Nobody (a gap)</span>;
  return <Link href={`/people/${enc(person)}`}>{displayName(people, person)}</Link>;
}

// Which zone times are shown in: the schedule's or the viewer's own.
export type ZoneMode = "schedule" | "local";

export function ZoneSelect({ id, mode, scheduleZone, onChange }: { id: string; mode: ZoneMode; scheduleZone: string; onChange: (m: ZoneMode) => void }) {
  return (
    <div class="field">
      <label for={id}>Show times in</label>
      <select id={id} value={mode} onChange={(e) => onChange((e.target as HTMLSelectElement).value as ZoneMode)}>
        <option value="schedule">Schedule’s zone ({scheduleZone})</option>
        <option value="local">My time ({localZone})</option>
      </select>
    </div>
  );
}

// A button that creates a secret calendar (iCalendar) feed URL at `path` and shows it once, with
// a Copy button and what to do with it.
export function CalendarFeed({ path, what, id }: { path: string; what: string; id: string }) {
  const [feed, setFeed] = useState<{ id?: string; url: string } | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const create = async () => {
    setBusy(true);
    setError("");
    try {
      const r = await request<{ id?: string; url: string }>("POST", path);
      setFeed({ id: r.data.id, url: new URL(r.data.url, window.location.origin).href });
      setCopied(false);
      setRevoked(false);
      requestAnimationFrame(() => input.current?.focus());
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    if (!feed?.id) return;
    setBusy(true);
    setError("");
    try {
      await request("DELETE", `/api/v1/feeds/${enc(feed.id)}`);
      setFeed(null);
      setRevoked(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!feed) return;
    try {
      await navigator.clipboard.writeText(feed.url);
    } catch {
      // No clipboard API (a page served over plain HTTP): copy the selected text instead.
      input.current?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  };

  return (
    <div class="feed">
      {!feed && (
        <button type="button" class="button" onClick={create} disabled={busy}>
          {busy ? "Creating…" : "Get calendar feed"}
        </button>
      )}
      {revoked && (
        <p role="status" class="small ok-text">
          Revoked: that address no longer works.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {feed && (
        <div class="feed-box" data-testid="calendar-feed">
          <label for={id}>Calendar feed of {what}</label>
          <div class="feed-row">
            <input id={id} ref={input} type="text" readOnly value={feed.url} onFocus={(e) => (e.target as HTMLInputElement).select()} aria-describedby={`${id}-hint`} />
            <button type="button" class="button" onClick={copy}>
              Copy
            </button>
            {feed.id && (
              <button type="button" class="button danger" onClick={revoke} disabled={busy}>
                Revoke
              </button>
            )}
          </div>
          <p class="hint" id={`${id}-hint`}>
            Subscribe to this address in your calendar app (Google Calendar: Other calendars → From URL; Outlook: Add calendar → Subscribe from web;
            Apple Calendar: File → New Calendar Subscription) to see the shifts next to your other events; it updates by itself. The address is the
            password: anyone who has it can read these shifts, and it is shown only this once. If it leaks, revoke it and get a new one.
          </p>
          <p role="status" class="small ok-text">
            {copied ? "Copied to the clipboard." : ""}
          </p>
        </div>
      )}
    </div>
  );
}

// Who is on call now for `team` (on each of its schedules), for the service and team pages.
export function TeamOnCallNow({ team }: { team: string }) {
  const now = useNow(60_000);
  const people = usePeople();
  const oncall = useAsync((signal) => get<{ items: OnCallNow[] }>("/api/v1/oncall", signal), [team, Math.floor(now / 300_000)]);
  if (oncall.error) return <span class="muted">unknown</span>;
  if (!oncall.data) return <span class="muted">…</span>;
  const items = oncall.data.items.filter((i) => i.team === team);
  if (!items.length) {
    return (
      <span class="muted">
        No <Link href="/schedules">on-call schedule</Link> for team {team}
      </span>
    );
  }
  return (
    <ul class="oc-fact" data-testid="owner-on-call">
      {items.map((i) => (
        <li key={i.schedule}>
          <OnCallPerson person={i.shift.person} people={people} />{" "}
          <span class="muted small">
            on <Link href={`/schedules/${enc(i.schedule)}`}>{i.title || i.schedule}</Link> until {formatDateTime(Date.parse(i.shift.end), localZone)}
          </span>
        </li>
      ))}
    </ul>
  );
}
