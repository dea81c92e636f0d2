// Audit log entries: who did what when, with the changed fields.

import { diffDocs, ChangeList, DiffTable } from "./diff";
import { Time } from "./ui";
import { displayActor } from "../session";
import { pathOf } from "../data";
import { Link } from "../router";
import type { AuditEntry, Kind } from "../types";

const CATALOG_KINDS = new Set(["Service", "Team", "Person", "System", "Domain"]);

function verb(action: string): string {
  switch (action) {
    case "create":
      return "created";
    case "update":
      return "updated";
    case "delete":
      return "deleted";
    default:
      return action;
  }
}

export function Subject({ entry }: { entry: AuditEntry }) {
  if (CATALOG_KINDS.has(entry.kind) && entry.action !== "delete") {
    return (
      <>
        {entry.kind} <Link href={pathOf(entry.kind as Kind, entry.name)}>{entry.name}</Link>
      </>
    );
  }
  return (
    <>
      {entry.kind} <span class="mono">{entry.name}</span>
    </>
  );
}

// One line per entry with a compact diff (the service page's "Recent activity").
export function ActivityList({ entries, now }: { entries: AuditEntry[]; now: number }) {
  return (
    <ol class="activity">
      {entries.map((e) => (
        <li key={e.seq}>
          <div class="activity-head">
            <span class="actor">{displayActor(e.actor)}</span> {verb(e.action)} <Subject entry={e} /> <Time iso={e.at} now={now} />
          </div>
          {e.action === "update" && <ChangeList changes={diffDocs(e.before, e.after)} />}
        </li>
      ))}
    </ol>
  );
}

// An expandable entry (the audit page): summary line; open for the before/after diff and the
// whole documents.
export function AuditItem({ entry, now }: { entry: AuditEntry; now: number }) {
  const changes = diffDocs(entry.before, entry.after);
  return (
    <li class="audit-entry">
      <details>
        <summary>
          <span class={`action action-${entry.action}`}>{entry.action}</span> <Subject entry={entry} />
          <span class="audit-meta">
            by <span class="actor">{displayActor(entry.actor)}</span> · <Time iso={entry.at} now={now} /> · #{entry.seq}
          </span>
        </summary>
        <div class="audit-body">
          {entry.before == null && entry.after == null ? (
            <p class="muted">No document is recorded with this entry.</p>
          ) : (
            <>
              <DiffTable changes={changes} />
          <div class="docs">
            <div>
              <h3>Before</h3>
              <pre class="json">{entry.before ? JSON.stringify(entry.before, null, 2) : "(none)"}</pre>
            </div>
            <div>
              <h3>After</h3>
              <pre class="json">{entry.after ? JSON.stringify(entry.after, null, 2) : "(none)"}</pre>
            </div>
          </div>
            </>
          )}
        </div>
      </details>
    </li>
  );
}
