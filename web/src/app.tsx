// The frame around every page: skip link, header (menu, search, theme, user), navigation built
// from the page table, and the page that matches the URL. Shows the login page while nobody
// is logged in, at the same URL, so a reload or a deep link lands where it pointed.

import { Component, type ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { SearchBox } from "./components/search";
import { PageHeader } from "./components/ui";
import { useTitle } from "./hooks";
import { LoginPage } from "./pages/login";
import { PAGES, type PageDef } from "./pages";
import { Link, location, match } from "./router";
import { displayActor, logOut, session } from "./session";
import { useStore } from "./store";
import { theme, toggleTheme } from "./theme";

function resolve(path: string): { page: PageDef; params: Record<string, string> } | null {
  const clean = path.length > 1 ? path.replace(/\/+$/, "") : path;
  for (const page of PAGES) {
    const params = match(page.path, clean);
    if (params) return { page, params };
  }
  return null;
}

function isCurrent(entry: PageDef, path: string): boolean {
  if (entry.path === "/") return path === "/";
  const within = (p: string) => path === p || path.startsWith(p + "/");
  if (!within(entry.path)) return false;
  // A nav entry below this one (/slos/report under /slos) is current on its own paths instead.
  return !PAGES.some((p) => p.nav && p.path.startsWith(entry.path + "/") && within(p.path));
}

function Nav({ path, open }: { path: string; open: boolean }) {
  const sections: { name: string; entries: PageDef[] }[] = [];
  for (const p of PAGES) {
    if (!p.nav) continue;
    let s = sections.find((x) => x.name === p.nav);
    if (!s) sections.push((s = { name: p.nav, entries: [] }));
    s.entries.push(p);
  }
  return (
    <nav id="nav" class={open ? "sidebar open" : "sidebar"} aria-label="Main">
      {sections.map((s) => (
        <div class="nav-section" key={s.name}>
          {!(s.entries.length === 1 && s.entries[0].title === s.name) && <h2 class="nav-heading">{s.name}</h2>}
          <ul>
            {s.entries.map((e) => (
              <li key={e.path}>
                <Link href={e.path} aria-current={isCurrent(e, path) ? "page" : undefined}>
                  {e.title}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function ThemeToggle() {
  const t = useStore(theme);
  return (
    <button type="button" class="icon-button" aria-label="Toggle dark mode" aria-pressed={t === "dark"} title="Toggle dark mode" onClick={toggleTheme}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        {t === "dark" ? (
          <path d="M12 4V2m0 20v-2m8-8h2M2 12h2m13.66-5.66 1.41-1.41M4.93 19.07l1.41-1.41m0-11.32L4.93 4.93m14.14 14.14-1.41-1.41M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10z" class="stroke" />
        ) : (
          <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" class="stroke" />
        )}
      </svg>
    </button>
  );
}

function NotFound({ path }: { path: string }) {
  useTitle("Not found");
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        Nothing lives at <code>{path}</code>. <Link href="/">Go to the overview</Link>.
      </p>
    </>
  );
}

// Keeps a page's failure inside the page: the frame and navigation stay usable.
class PageBoundary extends Component<{ children: ComponentChildren }, { error: unknown }> {
  state = { error: undefined as unknown };
  componentDidCatch(error: unknown) {
    this.setState({ error });
  }
  render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <>
        <PageHeader title="Something went wrong" />
        <p class="error" role="alert">
          This page failed: {this.state.error instanceof Error ? this.state.error.message : String(this.state.error)}. Reload to try again.
        </p>
      </>
    );
  }
}

function Shell() {
  const s = useStore(session)!;
  const loc = useStore(location);
  const [menuOpen, setMenuOpen] = useState(false);
  const first = useRef(true);
  const main = useRef<HTMLElement>(null);

  // After a navigation, close the menu and move focus to the new page's heading.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = main.current?.querySelector("h1");
    (h1 ?? main.current)?.focus({ preventScroll: true });
  }, [loc.path]);

  const found = resolve(loc.path);
  const Page = found?.page.component;
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          class="icon-button menu-button"
          aria-expanded={menuOpen}
          aria-controls="nav"
          aria-label="Menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M3 6h18M3 12h18M3 18h18" class="stroke" />
          </svg>
        </button>
        <Link href="/" class="brand" aria-label="plinth overview">
          <span class="brand-mark" aria-hidden="true" />
          plinth
        </Link>
        <SearchBox />
        <div class="topbar-end">
          <ThemeToggle />
          <span class="user" data-testid="current-user" title={s.grants.map((g) => (g.team ? `${g.role} of ${g.team}` : `${g.role} (global)`)).join(", ")}>
            {displayActor(s.actor)}
          </span>
          <button type="button" class="button subtle" onClick={() => logOut()}>
            Log out
          </button>
        </div>
      </header>
      <div class="body">
        <Nav path={loc.path} open={menuOpen} />
        <main id="main" ref={main} tabIndex={-1}>
          <PageBoundary key={loc.path}>{Page ? <Page params={found!.params} /> : <NotFound path={loc.path} />}</PageBoundary>
        </main>
      </div>
    </div>
  );
}

export function App() {
  const s = useStore(session);
  if (s === undefined) {
    return (
      <p class="loading boot" role="status">
        Loading plinth…
      </p>
    );
  }
  if (s === null) return <LoginPage />;
  return <Shell />;
}
