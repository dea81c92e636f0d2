// Light and dark theme: follows prefers-color-scheme until the user picks one with the toggle;
// the choice is kept in localStorage. The stylesheet reads <html data-theme>.

import { Store } from "./store";

export type Theme = "light" | "dark";
const KEY = "plinth.theme";
const media = window.matchMedia("(prefers-color-scheme: dark)");

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : null;
  } catch {
    return null;
  }
}

function effective(): Theme {
  return stored() ?? (media.matches ? "dark" : "light");
}

export const theme = new Store<Theme>(effective());

function apply(t: Theme): void {
  document.documentElement.dataset.theme = t;
}

apply(theme.get());
theme.subscribe(apply);
media.addEventListener("change", () => theme.set(effective()));

export function toggleTheme(): void {
  const next: Theme = theme.get() === "dark" ? "light" : "dark";
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Private mode: the choice lasts until the page is closed.
  }
  theme.set(next);
}
