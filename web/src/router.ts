// History-API routing with clean paths (/services/ledger). The server answers index.html for
// every path outside /api/, so any console URL can be opened directly or reloaded.

import type { JSX } from "preact";
import { h } from "preact";
import { Store } from "./store";

export interface Location {
  path: string;
  search: string;
}

function current(): Location {
  return { path: window.location.pathname, search: window.location.search };
}

export const location = new Store<Location>(current());

window.addEventListener("popstate", () => location.set(current()));

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  location.set(current());
  if (!opts.replace) window.scrollTo(0, 0);
}

// The query parameters of the current location.
export function queryParams(loc: Location): URLSearchParams {
  return new URLSearchParams(loc.search);
}

// Matches "/services/:name" against a path; the decoded parameters, or null.
export function match(pattern: string, path: string): Record<string, string> | null {
  const ps = pattern.split("/").filter(Boolean);
  const xs = path.split("/").filter(Boolean);
  if (ps.length !== xs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    if (ps[i].startsWith(":")) {
      try {
        params[ps[i].slice(1)] = decodeURIComponent(xs[i]);
      } catch {
        return null;
      }
    } else if (ps[i] !== xs[i]) {
      return null;
    }
  }
  return params;
}

// A click that should stay in the app: plain left click without modifier keys.
export function isPlainClick(e: MouseEvent): boolean {
  return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey && !e.defaultPrevented;
}

type AnchorProps = JSX.HTMLAttributes<HTMLAnchorElement> & { href: string };

// An <a> that navigates inside the app on a plain click and behaves as a link otherwise.
export function Link(props: AnchorProps) {
  const { onClick, ...rest } = props;
  return h("a", {
    ...rest,
    onClick: (e: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
      if (onClick) (onClick as (e: JSX.TargetedMouseEvent<HTMLAnchorElement>) => void)(e);
      if (!isPlainClick(e)) return;
      e.preventDefault();
      navigate(props.href);
    },
  });
}
