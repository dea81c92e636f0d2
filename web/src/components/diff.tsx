// Field-level differences between two versions of a document (audit before/after).

import { formatValue } from "../format";

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isScalarArray(v: unknown): v is (string | number | boolean)[] {
  return Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null);
}

// Leaf values of `doc` by dotted path. Arrays of scalars stay whole (shown as a list); other
// arrays are indexed. The read-only `status` object and the envelope are skipped.
function flatten(doc: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (isObject(doc)) {
    for (const [k, v] of Object.entries(doc)) {
      if (!prefix && (k === "status" || k === "apiVersion" || k === "kind")) continue;
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (Array.isArray(doc) && !isScalarArray(doc)) {
    doc.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (prefix) {
    out.set(prefix, doc);
  }
  return out;
}

export function diffDocs(before: unknown, after: unknown): Change[] {
  const a = flatten(before ?? {});
  const b = flatten(after ?? {});
  const paths = new Set([...a.keys(), ...b.keys()]);
  const changes: Change[] = [];
  for (const p of paths) {
    const x = a.get(p);
    const y = b.get(p);
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path: p, before: x, after: y });
  }
  return changes.sort((m, n) => m.path.localeCompare(n.path));
}

function show(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.map((x) => formatValue(x)).join(", ") : "[]";
  return formatValue(v);
}

// A compact "field: old → new" list; `limit` rows, then "and N more".
export function ChangeList({ changes, limit = 6 }: { changes: Change[]; limit?: number }) {
  if (!changes.length) return <p class="muted">No field changed.</p>;
  const shown = changes.slice(0, limit);
  return (
    <ul class="changes">
      {shown.map((c) => (
        <li key={c.path}>
          <code class="path">{c.path}</code>{" "}
          {c.before !== undefined && <del>{show(c.before)}</del>}
          {c.before !== undefined && c.after !== undefined && <span aria-hidden="true"> → </span>}
          {c.after !== undefined && <ins>{show(c.after)}</ins>}
        </li>
      ))}
      {changes.length > limit && <li class="muted">and {changes.length - limit} more</li>}
    </ul>
  );
}

// A table of every changed field with its value before and after.
export function DiffTable({ changes }: { changes: Change[] }) {
  if (!changes.length) return <p class="muted">No field changed.</p>;
  return (
    <div class="table-wrap">
      <table class="diff">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.path}>
              <th scope="row">
                <code>{c.path}</code>
              </th>
              <td class="before">{c.before === undefined ? <span class="muted">—</span> : <del>{show(c.before)}</del>}</td>
              <td class="after">{c.after === undefined ? <span class="muted">—</span> : <ins>{show(c.after)}</ins>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
