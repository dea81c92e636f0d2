// The paging part of a service's page: its paging settings (escalation policy, urgency, support
// hours, timeouts), its open incidents, its integrations — managers of the owning team create
// one (the key is shown once, with a Copy button) or revoke one — and its recent changes.

import { useRef, useState } from "preact/hooks";
import { ApiError, enc, get, qs, request } from "../api";
import { useAsync, useNow } from "../hooks";
import { Link } from "../router";
import { canEditOwned, session } from "../session";
import { useStore } from "../store";
import type { Incident, IncidentList, Integration, IntegrationType, NewIntegration, Service, ServiceChange } from "../types";
import { usePeople } from "./oncall";
import { byAttention, humanDuration, IncidentTable, PolicyLink, windowText } from "./paging";
import { TableWrap } from "./sort";
import { ErrorMessage, ExtLink, Facts, Loading, Time } from "./ui";

const URGENCY: Record<string, string> = {
  high: "always high",
  low: "always low",
  severity: "by severity: critical and error high, warning and info low",
};

export const INTEGRATION_TYPES: [IntegrationType, string][] = [
  ["events-v2", "PagerDuty Events API v2"],
  ["alertmanager", "Alertmanager webhook"],
  ["generic", "Generic JSON"],
];

export function ServicePaging({ service }: { service: Service }) {
  const name = service.metadata.name;
  const paging = service.spec.paging;
  return (
    <section class="card" aria-labelledby="h-paging" data-testid="service-paging">
      <h2 id="h-paging">Paging</h2>
      {paging ? (
        <Facts
          rows={[
            ["Escalation policy", <PolicyLink name={paging.escalationPolicy} key="p" />],
            ["Urgency", URGENCY[paging.urgency ?? "severity"] ?? paging.urgency],
            ["Support hours", paging.supportHours ? `${windowText(paging.supportHours)}; outside them every alert is low urgency` : undefined],
            ["Acknowledgement timeout", paging.acknowledgementTimeout ? `${humanDuration(paging.acknowledgementTimeout)}, then it pages again` : undefined],
            ["Auto-resolve", paging.autoResolveTimeout ? `after ${humanDuration(paging.autoResolveTimeout)} open` : undefined],
            ["Grouping window", paging.groupingWindow && paging.groupingWindow !== "0s" ? humanDuration(paging.groupingWindow) : undefined],
          ]}
        />
      ) : (
        <p class="warn" data-testid="no-paging">
          Nobody is paged for this service: its YAML has no <code>spec.paging</code> naming an escalation policy.
        </p>
      )}
      <OpenIncidents service={name} />
      <Integrations service={service} />
      <Changes service={name} />
    </section>
  );
}

function OpenIncidents({ service }: { service: string }) {
  const now = useNow(30_000);
  const people = usePeople();
  const list = useAsync((signal) => get<IncidentList>(`/api/v1/incidents${qs({ service, status: "open", limit: 50 })}`, signal), [service, Math.floor(now / 30_000)]);
  const items: Incident[] = (list.data?.items ?? []).slice().sort(byAttention);
  return (
    <>
      <h3>Open incidents</h3>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : !items.length ? (
        <p class="muted" data-testid="service-no-open-incidents">
          None. <Link href={`/incidents${qs({ service, status: "resolved" })}`}>Resolved incidents</Link>
        </p>
      ) : (
        <>
          <IncidentTable items={items} people={people} now={now} testid="service-open-incidents" label="Open incidents" showService={false} />
          <p class="small">
            <Link href={`/incidents${qs({ service })}`}>All incidents of {service}</Link>
          </p>
        </>
      )}
    </>
  );
}

function typeLabel(t: string): string {
  return INTEGRATION_TYPES.find(([v]) => v === t)?.[1] ?? t;
}

function Integrations({ service }: { service: Service }) {
  const name = service.metadata.name;
  const s = useStore(session);
  const allowed = canEditOwned(s, service.spec.owner);
  const [version, setVersion] = useState(0);
  const list = useAsync((signal) => get<{ items: Integration[] }>(`/api/v1/integrations${qs({ service: name })}`, signal), [name, version]);
  const [created, setCreated] = useState<NewIntegration | null>(null);
  const live = (list.data?.items ?? []).filter((i) => !i.revokedAt);
  return (
    <>
      <h3>Integrations</h3>
      <p class="muted small">Where alerts for {name} come in. Each integration has its own key; revoke one and its key stops working.</p>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : !live.length ? (
        <p class="muted" data-testid="no-integrations">
          No integrations: no alert reaches this service yet.
        </p>
      ) : (
        <TableWrap label="Integrations">
          <table class="data" data-testid="integrations-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                {/* A visually hidden label would escape the scrolling table at phone width. */}
                {allowed && <th scope="col" aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {live.map((i) => (
                <IntegrationRow key={i.id} integration={i} allowed={allowed} onRevoked={() => setVersion((v) => v + 1)} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {created && <NewKey integration={created} onDismiss={() => setCreated(null)} />}
      {allowed && !created && (
        <CreateIntegration
          service={name}
          onCreated={(i) => {
            setCreated(i);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}

function IntegrationRow({ integration: i, allowed, onRevoked }: { integration: Integration; allowed: boolean; onRevoked: () => void }) {
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    setError("");
    try {
      await request("DELETE", `/api/v1/integrations/${enc(i.id)}`);
      onRevoked();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <tr data-integration={i.id} data-type={i.type}>
      <th scope="row">{i.name || <span class="muted">unnamed</span>}</th>
      <td>{typeLabel(i.type)}</td>
      <td class="mono small" style={{ whiteSpace: "nowrap" }}>
        …{i.keyHint}
      </td>
      <td>
        <Time iso={i.createdAt} /> <span class="muted small">by {i.createdBy.replace(/^user:/, "")}</span>
      </td>
      {allowed && (
        <td>
          {confirm ? (
            <span class="button-group">
              <button type="button" class="button small danger" disabled={busy} onClick={revoke} aria-label={`Revoke the integration ${i.name || i.type}`}>
                Revoke key
              </button>
              <button type="button" class="button small subtle" onClick={() => setConfirm(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" class="button small subtle" onClick={() => setConfirm(true)}>
              Revoke…
            </button>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </td>
      )}
    </tr>
  );
}

const MAPPING_FIELDS: [string, string][] = [
  ["summary", "/summary"],
  ["dedup_key", ""],
  ["action", ""],
  ["severity", ""],
  ["source", ""],
];

function CreateIntegration({ service, onCreated }: { service: string; onCreated: (i: NewIntegration) => void }) {
  const [type, setType] = useState<IntegrationType>("events-v2");
  const [name, setName] = useState("");
  const [mapping, setMapping] = useState<Record<string, string>>(Object.fromEntries(MAPPING_FIELDS));
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { type, name: name.trim() };
    if (type === "generic") body.mapping = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));
    try {
      const r = await request<NewIntegration>("POST", `/api/v1/services/${enc(service)}/integrations`, { body });
      onCreated(r.data);
      setName("");
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err));
    } finally {
      setBusy(false);
    }
  };
  const fieldErrors = (pointer: string) => (error instanceof ApiError ? error.fieldErrors(pointer) : []);
  return (
    <form class="integration-form" aria-label="Add an integration" onSubmit={submit}>
      <div class="filters">
        <div class="field">
          <label for="int-type">Type</label>
          <select id="int-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value as IntegrationType)}>
            {INTEGRATION_TYPES.map(([v, label]) => (
              <option value={v} key={v}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="int-name">Name</label>
          <input id="int-name" type="text" value={name} maxLength={200} placeholder="e.g. Prometheus" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      {type === "generic" && (
        <fieldset class="mapping">
          <legend>Field mapping: a JSON pointer into the posted body for each field</legend>
          <div class="filters">
            {MAPPING_FIELDS.map(([k]) => (
              <div class="field" key={k}>
                <label for={`map-${k}`}>{k}</label>
                <input
                  id={`map-${k}`}
                  type="text"
                  class="mono"
                  value={mapping[k]}
                  required={k === "summary"}
                  placeholder={k === "summary" ? "/title" : "optional"}
                  onInput={(e) => setMapping({ ...mapping, [k]: (e.target as HTMLInputElement).value })}
                />
                {fieldErrors(`/mapping/${k}`).map((m) => (
                  <span class="field-error" key={m}>
                    {m}
                  </span>
                ))}
              </div>
            ))}
          </div>
        </fieldset>
      )}
      <button type="submit" class="button" disabled={busy}>
        {busy ? "Creating…" : "Create integration"}
      </button>
      {error && (
        <p class="error" role="alert">
          {error instanceof ApiError ? error.message : error}
        </p>
      )}
    </form>
  );
}

// What to configure on the sending side, for each type.
function HowTo({ integration }: { integration: NewIntegration }) {
  const url = new URL(integration.url, window.location.origin).href;
  if (integration.type === "events-v2") {
    return (
      <p class="hint">
        Send PagerDuty Events API v2 events to <code>{url}</code> with this key as <code>routing_key</code>; in Alertmanager, a{" "}
        <code>pagerduty_configs</code> receiver with <code>routing_key</code> set to the key and <code>url: {url}</code>.
      </p>
    );
  }
  if (integration.type === "alertmanager") {
    return (
      <p class="hint">
        In Alertmanager, a <code>webhook_configs</code> receiver with <code>url: {url}</code>. The key is part of the address.
      </p>
    );
  }
  return (
    <p class="hint">
      POST JSON to <code>{url}</code>; the mapping picks the fields. The key is part of the address.
    </p>
  );
}

function NewKey({ integration, onDismiss }: { integration: NewIntegration; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(integration.key);
    } catch {
      // No clipboard API (a page served over plain HTTP): copy the selected text instead.
      input.current?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  };
  return (
    <div class="feed-box new-key" data-testid="integration-key" role="region" aria-label="The new integration key">
      <p>
        <strong>{typeLabel(integration.type)}</strong> integration{integration.name ? ` “${integration.name}”` : ""} created. Its key is shown only this
        once: copy it now.
      </p>
      <label for="new-key">Integration key</label>
      <div class="feed-row">
        <input id="new-key" ref={input} type="text" readOnly value={integration.key} class="mono" onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <button type="button" class="button" onClick={copy}>
          Copy
        </button>
        <button type="button" class="button subtle" onClick={onDismiss}>
          Done
        </button>
      </div>
      <HowTo integration={integration} />
      <p role="status" class="small ok-text">
        {copied ? "Copied to the clipboard." : ""}
      </p>
    </div>
  );
}

function Changes({ service }: { service: string }) {
  const changes = useAsync((signal) => get<{ items: ServiceChange[] }>(`/api/v1/services/${enc(service)}/changes${qs({ limit: 10 })}`, signal), [service]);
  return (
    <>
      <h3>Recent changes</h3>
      {changes.error ? (
        <ErrorMessage error={changes.error} />
      ) : !changes.data ? (
        <Loading />
      ) : !changes.data.items.length ? (
        <p class="muted" data-testid="no-changes">
          No changes recorded. Deployments and other changes sent as PagerDuty change events (<code>POST /v2/change/enqueue</code>) show up here,
          next to the incidents they may have caused.
        </p>
      ) : (
        <ul class="changes" data-testid="service-changes">
          {changes.data.items.map((c) => {
            const links = Array.isArray(c.details.links) ? (c.details.links as { href?: string; text?: string }[]).filter((l) => typeof l?.href === "string") : [];
            return (
              <li key={c.id}>
                <Time iso={c.at} /> <strong>{c.summary}</strong>
                {c.source && <span class="muted small"> from {c.source}</span>}
                {links.map((l) => (
                  <span key={l.href}>
                    {" "}
                    · <ExtLink href={l.href!}>{l.text || "link"}</ExtLink>
                  </span>
                ))}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
