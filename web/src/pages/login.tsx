// The login form: user name and password, a session cookie from POST /api/v1/login.

import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { useTitle } from "../hooks";
import { logIn } from "../session";

export function LoginPage() {
  useTitle("Log in");
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await logIn(user.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError("Wrong user name or password.");
      else setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div class="brand login-brand">
          <span class="brand-mark" aria-hidden="true" />
          plinth
        </div>
        <h1 id="login-title">Log in</h1>
        <div class="field">
          <label for="login-user">User</label>
          <input id="login-user" name="user" autocomplete="username" required value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button primary" disabled={busy}>
          Log in
        </button>
        <p class="hint">
          No account yet? An admin adds one with <code>plinth user add NAME</code>; <code>plinth demo</code> prints a login.
        </p>
      </form>
    </main>
  );
}
