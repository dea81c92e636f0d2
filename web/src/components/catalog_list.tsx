// A list page of one catalog kind: a name filter, a table, "Load more".

import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { usePaged } from "./paged";
import { TableWrap } from "./sort";
import { EmptyState, ErrorMessage, Loading } from "./ui";
import { plural } from "../format";
import { location, navigate, queryParams } from "../router";
import { useStore } from "../store";

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  class?: string;
}

interface Props<T> {
  plural: string; // "teams"
  noun: string; // "team"
  columns: Column<T>[]; // the first is the row header
  rowKey: (row: T) => string;
  empty: ComponentChildren;
  filterLabel?: string;
}

export function CatalogList<T>({ plural: kinds, noun, columns, rowKey, empty, filterLabel = "Name contains" }: Props<T>) {
  const loc = useStore(location);
  const q = queryParams(loc).get("q") ?? "";
  const [text, setText] = useState(q);
  const list = usePaged<T>(`/api/v1/${kinds}`, { q }, 200);
  useEffect(() => {
    if (text.trim() === q) return;
    const t = setTimeout(() => navigate(`/${kinds}${text.trim() ? "?q=" + encodeURIComponent(text.trim()) : ""}`, { replace: true }), 200);
    return () => clearTimeout(t);
  }, [text]);

  return (
    <>
      <form class="filters" role="search" aria-label={`Filter ${kinds}`} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="f-q">{filterLabel}</label>
          <input id="f-q" type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </div>
      </form>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.loading && !list.items.length ? (
        <Loading />
      ) : !list.items.length ? (
        q ? <EmptyState title={`No ${kinds} match “${q}”.`} /> : empty
      ) : (
        <>
          <p class="count" role="status">
            {list.more ? `Showing the first ${plural(list.items.length, noun)}` : plural(list.items.length, noun)}
          </p>
          <TableWrap label={kinds[0].toUpperCase() + kinds.slice(1)}>
            <table class="data" data-testid={`${kinds}-table`}>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th scope="col" class={c.class} key={c.label}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.items.map((row) => (
                  <tr key={rowKey(row)}>
                    {columns.map((c, i) =>
                      i === 0 ? (
                        <th scope="row" class={c.class} key={c.label}>
                          {c.cell(row)}
                        </th>
                      ) : (
                        <td class={c.class} key={c.label}>
                          {c.cell(row)}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.more && (
            <button type="button" class="button load-more" onClick={list.loadMore} disabled={list.loading}>
              {list.loading ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
    </>
  );
}
