// The global search box in the header: "/" focuses it; results over services, teams, people,
// systems and domains in a listbox navigable with the arrow keys, Enter opens one.
// ARIA: the combobox pattern with aria-activedescendant (focus stays in the input).

import { useEffect, useRef, useState } from "preact/hooks";
import { pathOf, search } from "../data";
import { navigate } from "../router";
import type { SearchItem } from "../types";

const LIMIT = 10;

function isEditable(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (el as HTMLElement).isContentEditable;
}

export function SearchBox() {
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState("");
  const [items, setItems] = useState<SearchItem[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [state, setState] = useState<"idle" | "loading" | "done" | "error">("idle");

  // "/" anywhere outside a form field focuses the box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(document.activeElement)) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setItems([]);
      setState("idle");
      return;
    }
    const ctl = new AbortController();
    setState("loading");
    const timer = setTimeout(() => {
      search(text, LIMIT, ctl.signal).then(
        (r) => {
          if (ctl.signal.aborted) return;
          setItems(r);
          setActive(-1);
          setState("done");
        },
        (err) => {
          if (!ctl.signal.aborted && (err as Error).name !== "AbortError") setState("error");
        },
      );
    }, 120);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q]);

  const go = (item: SearchItem) => {
    setOpen(false);
    setQ("");
    input.current?.blur();
    navigate(pathOf(item.kind, item.name));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        setOpen(true);
        if (items.length) setActive((a) => (a + 1) % items.length);
        break;
      case "ArrowUp":
        e.preventDefault();
        setOpen(true);
        if (items.length) setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
        break;
      case "Enter":
        e.preventDefault();
        // Enter without a highlighted result opens the best match.
        if (items.length) go(items[Math.max(0, active)]);
        break;
      case "Escape":
        if (open && q) {
          e.preventDefault();
          setOpen(false);
        } else {
          setQ("");
          input.current?.blur();
        }
        break;
    }
  };

  const showList = open && q.trim() !== "";
  const activeId = showList && active >= 0 && active < items.length ? `search-option-${active}` : undefined;

  return (
    <div class="search" role="search">
      <input
        ref={input}
        id="global-search"
        type="search"
        aria-label="Search"
        placeholder="Search services, teams, people…"
        autocomplete="off"
        spellcheck={false}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls="search-results"
        aria-activedescendant={activeId}
        aria-keyshortcuts="/"
        value={q}
        onInput={(e) => {
          setQ((e.target as HTMLInputElement).value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <kbd class="search-hint" aria-hidden="true">
        /
      </kbd>
      <div class={showList ? "search-popup open" : "search-popup"}>
        <ul id="search-results" role="listbox" aria-label="Results">
          {showList &&
            items.map((item, i) => (
              <li
                id={`search-option-${i}`}
                role="option"
                aria-selected={i === active}
                class={i === active ? "active" : undefined}
                key={`${item.kind}/${item.name}`}
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => i !== active && setActive(i)}
                onClick={() => go(item)}
              >
                <span class={`kind kind-${item.kind.toLowerCase()}`}>{item.kind}</span>
                <span class="name">{item.name}</span>
                {item.title && item.title !== item.name && <span class="title">{item.title}</span>}
                {item.description && <span class="desc">{item.description}</span>}
              </li>
            ))}
        </ul>
        {showList && state === "done" && !items.length && <p class="search-empty">Nothing matches “{q.trim()}”.</p>}
        {showList && state === "loading" && !items.length && <p class="search-empty">Searching…</p>}
        {showList && state === "error" && <p class="search-empty">Search failed; try again.</p>}
      </div>
    </div>
  );
}
