// Sortable table columns: a header button per column, aria-sort on the header cell.

import type { ComponentChildren } from "preact";

export type Dir = "asc" | "desc";

export interface SortState {
  key: string;
  dir: Dir;
}

export function SortHeader({ label, k, sort, onSort, class: cls }: { label: string; k: string; sort: SortState; onSort: (s: SortState) => void; class?: string }) {
  const active = sort.key === k;
  return (
    <th scope="col" class={cls} aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" class="sort" onClick={() => onSort({ key: k, dir: active && sort.dir === "asc" ? "desc" : "asc" })}>
        {label}
        <span class="sort-mark" aria-hidden="true">
          {active ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </th>
  );
}

// Sorts a copy of `rows` by the value `get` gives for `sort.key`; undefined values last.
export function sortRows<T>(rows: T[], sort: SortState, get: (row: T, key: string) => string | number | undefined): T[] {
  const sign = sort.dir === "asc" ? 1 : -1;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  return rows
    .map((row, i) => ({ row, i, v: get(row, sort.key) }))
    .sort((a, b) => {
      if (a.v === undefined || a.v === "") return b.v === undefined || b.v === "" ? a.i - b.i : 1;
      if (b.v === undefined || b.v === "") return -1;
      const c = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : collator.compare(String(a.v), String(b.v));
      return c !== 0 ? c * sign : a.i - b.i;
    })
    .map((x) => x.row);
}

export function TableWrap({ children, label }: { children: ComponentChildren; label?: string }) {
  return (
    <div class="table-wrap" role={label ? "region" : undefined} aria-label={label} tabIndex={label ? 0 : undefined}>
      {children}
    </div>
  );
}
