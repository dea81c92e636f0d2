// Entry point: styles, theme, the session check, then the app.

import { render } from "preact";
import "./styles/app.css";
import "./theme";
import { setUnauthenticatedHandler } from "./api";
import { App } from "./app";
import { loadSession, session } from "./session";

setUnauthenticatedHandler(() => session.set(null));
render(<App />, document.getElementById("app")!);
loadSession().catch((err) => {
  const el = document.getElementById("app")!;
  el.textContent = `plinth did not answer (${err instanceof Error ? err.message : String(err)}). Reload to try again.`;
});
