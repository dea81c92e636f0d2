// A cursor-paginated list that grows with "Load more".

import { useEffect, useState } from "preact/hooks";
import { get, qs } from "../api";
import type { Page } from "../types";

export interface Paged<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  more: boolean;
  loadMore: () => void;
}

// The first page of `path` with `params` (reloaded when either changes), and more on demand.
export function usePaged<T>(path: string, params: Record<string, string | undefined>, limit: number): Paged<T> {
  const key = path + qs(params);
  const [state, setState] = useState<{ key: string; items: T[]; cursor: string | null; loading: boolean; error: unknown }>({
    key: "",
    items: [],
    cursor: null,
    loading: true,
    error: undefined,
  });
  const [want, setWant] = useState<{ key: string; cursor: string | null }>({ key, cursor: null });

  // A new query starts from its first page.
  const cursor = want.key === key ? want.cursor : null;

  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    get<Page<T>>(path + qs({ ...params, limit, cursor }), ctl.signal).then(
      (page) => {
        if (ctl.signal.aborted) return;
        setState((s) => ({
          key,
          items: cursor && s.key === key ? [...s.items, ...page.items] : page.items,
          cursor: page.next_cursor,
          loading: false,
          error: undefined,
        }));
      },
      (error) => {
        if (!ctl.signal.aborted) setState((s) => ({ key, items: s.key === key ? s.items : [], cursor: null, loading: false, error }));
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, cursor]);

  const current = state.key === key;
  return {
    items: current ? state.items : [],
    loading: state.loading || !current,
    error: state.error,
    more: current && state.cursor !== null,
    loadMore: () => state.cursor && setWant({ key, cursor: state.cursor }),
  };
}
