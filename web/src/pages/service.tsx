// One service: ownership and links, its dependencies as a graph and as lists, recent activity,
// and for those allowed, editing (PUT with If-Match) and deletion.

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, enc, get, qs, request } from "../api";
import { ActivityList } from "../components/activity";
import { DependencyGraph, openCycle } from "../components/graph";
import { TeamOnCallNow } from "../components/oncall";
import { ServiceForm } from "../components/service_form";
import { ServicePaging } from "../components/service_paging";
import { ErrorMessage, ExtLink, Facts, Lifecycle, Loading, PageHeader, RefLink, Tier } from "../components/ui";
import { allServices, invalidate } from "../data";
import { useAsync, useNow, useTitle } from "../hooks";
import { Link, navigate } from "../router";
import { canEditOwned, session } from "../session";
import { useStore } from "../store";
import type { AuditEntry, Dependencies, DepNode, Page, Service } from "../types";
import type { PageProps } from "../pages";

export function ServicePage({ params }: PageProps) {
  const name = params.name;
  useTitle(name);
  const s = useStore(session);
  const svc = useAsync((signal) => request<Service>("GET", `/api/v1/services/${enc(name)}`, { signal }), [name]);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState(false);
  const [version, setVersion] = useState(0); // bumped after a change, to reload the rest
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  // Closing the form returns focus to the Edit button.
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const service = svc.data?.data;
  const allowed = service ? canEditOwned(s, service.spec.owner) : false;

  if (svc.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={svc.error} what={`The service “${name}”`} />
        <p>
          <Link href="/services">All services</Link>
        </p>
      </>
    );
  }

  const actions = allowed && !editing && (
    <>
      <button type="button" class="button" ref={editButton} onClick={() => (setEditing(true), setSaved(false))}>
        Edit
      </button>
      <button type="button" class="button danger" onClick={() => setDeleting(true)}>
        Delete
      </button>
    </>
  );

  return (
    <>
      <PageHeader
        title={name}
        subtitle={service ? service.metadata.title && service.metadata.title !== name ? service.metadata.title : service.metadata.description : undefined}
        actions={actions}
      />
      {!service ? (
        <Loading />
      ) : (
        <>
          {service.metadata.title && service.metadata.title !== name && service.metadata.description && <p class="lead">{service.metadata.description}</p>}
          {saved && (
            <p class="ok" role="status">
              Saved.
            </p>
          )}
          {!allowed && (
            <p class="muted small readonly-note" data-testid="read-only-note">
              Read-only: changing this service needs the manager role on team {service.spec.owner}.
            </p>
          )}
          {editing ? (
            <ServiceForm
              service={service}
              etag={svc.data!.etag}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                invalidate();
                setEditing(false);
                setSaved(true);
                setVersion((v) => v + 1);
                svc.reload();
              }}
            />
          ) : (
            <Overview service={service} />
          )}
          <Dependencies name={name} version={version} />
          <ServicePaging service={service} />
          <Activity name={name} version={version} />
          {deleting && <DeleteDialog name={name} onClose={() => setDeleting(false)} />}
        </>
      )}
    </>
  );
}

function Overview({ service }: { service: Service }) {
  const { metadata: m, spec } = service;
  const attributes = Object.entries(spec.attributes ?? {});
  const links = m.links ?? [];
  return (
    <div class="grid">
      <section class="card" aria-labelledby="h-about">
        <h2 id="h-about">About</h2>
        <Facts
          rows={[
            ["Owner", <RefLink kind="Team" name={spec.owner} />],
            ["On call", <TeamOnCallNow team={spec.owner} />],
            ["Tier", <Tier tier={spec.tier} />],
            ["Lifecycle", <Lifecycle value={spec.lifecycle} />],
            ["Type", spec.type ?? "service"],
            ["System", spec.system ? <RefLink kind="System" name={spec.system} /> : undefined],
          ]}
        />
      </section>
      <section class="card" aria-labelledby="h-links">
        <h2 id="h-links">Links</h2>
        <ul class="links">
          <li>
            <span class="link-kind">Runbook</span>{" "}
            {spec.runbookUrl ? <ExtLink href={spec.runbookUrl} /> : <span class="warn">No runbook — add spec.runbookUrl</span>}
          </li>
          <li>
            <span class="link-kind">Repository</span>{" "}
            {spec.repositoryUrl ? <ExtLink href={spec.repositoryUrl} /> : <span class="muted">none</span>}
          </li>
          {links.map((l) => (
            <li key={l.url}>
              <span class="link-kind">{l.title ?? l.icon ?? "Link"}</span> <ExtLink href={l.url} />
            </li>
          ))}
        </ul>
      </section>
      {(attributes.length > 0 || (m.tags?.length ?? 0) > 0) && (
        <section class="card" aria-labelledby="h-attrs">
          <h2 id="h-attrs">Attributes</h2>
          {attributes.length > 0 && (
            <table class="compact">
              <caption class="visually-hidden">Attributes</caption>
              <tbody>
                {attributes.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">{k}</th>
                    <td>{String(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {(m.tags?.length ?? 0) > 0 && (
            <ul class="tags" aria-label="Tags">
              {m.tags!.map((t) => (
                <li key={t} class="tag">
                  {t}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

function DepList({ nodes, empty }: { nodes: DepNode[]; empty: string }) {
  const [all, setAll] = useState(false);
  if (!nodes.length) return <p class="muted">{empty}</p>;
  const sorted = nodes.slice().sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  const shown = all ? sorted : sorted.slice(0, 25);
  return (
    <>
      <ul class="dep-list">
        {shown.map((n) => (
          <li key={n.name}>
            <RefLink kind="Service" name={n.name} /> <span class="muted small">{n.depth === 1 ? "direct" : `${n.depth} hops`}</span>
          </li>
        ))}
      </ul>
      {sorted.length > shown.length && (
        <button type="button" class="button subtle small" onClick={() => setAll(true)}>
          Show all {sorted.length}
        </button>
      )}
    </>
  );
}

function Dependencies({ name, version }: { name: string; version: number }) {
  const deps = useAsync((signal) => get<Dependencies>(`/api/v1/services/${enc(name)}/dependencies?transitive=true`, signal), [name, version]);
  const services = useAsync(() => allServices(), [version]);
  const [edges, tiers] = useMemo(() => {
    if (!services.data) return [undefined, undefined];
    return [
      new Map(services.data.map((s) => [s.metadata.name, s.spec.dependsOn ?? []])),
      new Map(services.data.map((s) => [s.metadata.name, s.spec.tier])),
    ];
  }, [services.data]);
  return (
    <section class="card" aria-labelledby="h-deps">
      <h2 id="h-deps">Dependencies</h2>
      {deps.error ? (
        <ErrorMessage error={deps.error} />
      ) : !deps.data ? (
        <Loading />
      ) : (
        <>
          {deps.data.cycles.length > 0 && (
            <div class="cycles" role="note">
              <strong>{deps.data.cycles.length === 1 ? "A dependency cycle" : `${deps.data.cycles.length} dependency cycles`} through this service:</strong>
              <ul>
                {deps.data.cycles.slice(0, 10).map(openCycle).map((c) => (
                  <li key={c.join(">")}>{[...c, c[0]].join(" → ")}</li>
                ))}
              </ul>
            </div>
          )}
          <DependencyGraph deps={deps.data} dependsOn={edges} tiers={tiers} />
          <p class="muted small legend">
            Arrows point from a service to what it depends on. Left: what {name} needs; right: what breaks if {name} breaks (blast radius).
          </p>
          <div class="two-col">
            <div>
              <h3>Depends on ({deps.data.upstream.length})</h3>
              <DepList nodes={deps.data.upstream} empty={`${name} depends on no other service.`} />
            </div>
            <div>
              <h3>Blast radius ({deps.data.downstream.length})</h3>
              <DepList nodes={deps.data.downstream} empty={`No service depends on ${name}.`} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Activity({ name, version }: { name: string; version: number }) {
  const now = useNow(60_000);
  const log = useAsync((signal) => get<Page<AuditEntry>>(`/api/v1/audit${qs({ kind: "Service", name, limit: 10 })}`, signal), [name, version]);
  return (
    <section class="card" aria-labelledby="h-activity">
      <h2 id="h-activity">Recent activity</h2>
      {log.error ? (
        <ErrorMessage error={log.error} />
      ) : !log.data ? (
        <Loading />
      ) : !log.data.items.length ? (
        <p class="muted">No changes recorded.</p>
      ) : (
        <>
          <ActivityList entries={log.data.items} now={now} />
          <p>
            <Link href={`/audit${qs({ kind: "Service", name })}`}>Full history</Link>
          </p>
        </>
      )}
    </section>
  );
}

function DeleteDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    return () => d.open && d.close();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError("");
    try {
      await request("DELETE", `/api/v1/services/${enc(name)}`);
      invalidate();
      navigate("/services");
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="delete-title" onClose={onClose}>
      <h2 id="delete-title">Delete {name}?</h2>
      <p>The service leaves the catalog. The audit log keeps its history. If it is declared in git, the next apply brings it back.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="button" onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button type="button" class="button danger" onClick={confirm} disabled={busy}>
          Delete service
        </button>
      </div>
    </dialog>
  );
}
