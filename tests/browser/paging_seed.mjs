// Paging data for the browser tests, made through the API as a user and a monitoring tool would:
// an escalation policy, a service that pages through it with an Events API v2 integration, alerts
// posted to POST /v2/enqueue (two open incidents, one resolved by its source) and a change event.
//
//   const { incidents } = await seedPaging(demo);   // {ack, snooze, resolved}: incident numbers

import assert from "node:assert/strict";

export const kPolicy = "browser-paging-policy";
export const kService = "browser-paging";
export const kSchedule = "payments-primary"; // the demo's payments on-call schedule

/// Logs in to the API as admin; returns call(method, path, body) that sends the session cookie
/// and CSRF token and answers the parsed JSON (failing on an unexpected status).
export async function apiSession(demo) {
  const login = await fetch(`${demo.url}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: "admin", password: demo.passwords.admin }),
  });
  assert.equal(login.status, 200, `login: ${await login.clone().text()}`);
  const { csrf_token: csrf } = await login.json();
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return async (method, path, body, expect = [200, 201, 202]) => {
    const r = await fetch(`${demo.url}${path}`, {
      method,
      headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(expect.includes(r.status), `${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/// Posts a PagerDuty event (path /v2/enqueue or /v2/change/enqueue) as a monitoring tool does:
/// no session, the routing key is the credential.
async function enqueue(demo, path, event) {
  const r = await fetch(`${demo.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(event),
  });
  const body = await r.json();
  assert.equal(r.status, 202, `POST ${path}: ${JSON.stringify(body)}`);
  return body;
}

export async function seedPaging(demo) {
  const api = await apiSession(demo);
  await api("POST", "/api/v1/escalationpolicies", {
    apiVersion: "plinth/v1",
    kind: "EscalationPolicy",
    metadata: { name: kPolicy, title: "Browser test escalation" },
    spec: {
      owner: "payments",
      repeat: 1,
      levels: [
        { escalateAfter: "15m", targets: [{ schedule: kSchedule }] },
        {
          escalateAfter: "15m",
          when: { timeZone: "Europe/Berlin", days: ["monday", "tuesday", "wednesday", "thursday", "friday"], start: "09:00", end: "18:00" },
          notify: "roundRobin",
          targets: [{ team: "payments" }],
        },
      ],
    },
  });
  await api("POST", "/api/v1/services", {
    apiVersion: "plinth/v1",
    kind: "Service",
    metadata: { name: kService, description: "A service the paging browser test pages for" },
    spec: {
      owner: "payments",
      tier: 2,
      paging: { escalationPolicy: kPolicy, urgency: "severity", acknowledgementTimeout: "30m", autoResolveTimeout: "4h" },
    },
  });
  const { key } = await api("POST", `/api/v1/services/${kService}/integrations`, { type: "events-v2", name: "Prometheus" });
  const trigger = (dedup, summary, severity) => enqueue(demo, "/v2/enqueue", {
    routing_key: key,
    event_action: "trigger",
    dedup_key: dedup,
    payload: { summary, source: "db-1.example.internal", severity, component: "postgres", class: "disk", custom_details: { free_bytes: 1024 } },
    links: [{ href: "https://grafana.example.com/d/db", text: "Dashboard" }],
  });
  await trigger("disk-full-db-1", "Disk full on db-1", "critical");
  await trigger("replication-lag", "Replication lag on db-2", "error");
  await enqueue(demo, "/v2/enqueue", {
    routing_key: key, event_action: "trigger", dedup_key: "slow-queries",
    payload: { summary: "Slow queries on db-3", source: "db-3", severity: "warning" },
  });
  await enqueue(demo, "/v2/enqueue", { routing_key: key, event_action: "resolve", dedup_key: "slow-queries" });
  await enqueue(demo, "/v2/change/enqueue", {
    routing_key: key,
    payload: { summary: "Deployed db-proxy v2.4.1", source: "ci", timestamp: new Date().toISOString() },
    links: [{ href: "https://ci.example.com/build/42", text: "Build 42" }],
  });
  const { items } = await api("GET", `/api/v1/incidents?service=${kService}`);
  const incidents = {};
  for (const i of items) {
    if (i.title === "Disk full on db-1") incidents.ack = i.number;
    if (i.title === "Replication lag on db-2") incidents.snooze = i.number;
    if (i.title === "Slow queries on db-3") incidents.resolved = i.number;
  }
  assert.ok(incidents.ack && incidents.snooze && incidents.resolved, `incidents: ${JSON.stringify(items)}`);
  return { api, key, incidents };
}
