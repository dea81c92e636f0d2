// Systems and domains: groupings of services. Lists, and one of each with what it contains.

import { enc, get } from "../api";
import { CatalogList } from "../components/catalog_list";
import { EmptyState, ErrorMessage, Facts, Loading, PageHeader, RefLink } from "../components/ui";
import { allServices, allSystems } from "../data";
import { useAsync, useTitle } from "../hooks";
import { Link } from "../router";
import type { Domain, System } from "../types";
import type { PageProps } from "../pages";
import { ServiceTable } from "./teams";

export function SystemsPage() {
  useTitle("Systems");
  return (
    <>
      <PageHeader title="Systems" subtitle="Sets of services that work together." />
      <CatalogList<System>
        plural="systems"
        noun="system"
        rowKey={(s) => s.metadata.name}
        columns={[
          { label: "System", cell: (s) => <Link href={`/systems/${enc(s.metadata.name)}`}>{s.metadata.name}</Link> },
          { label: "Owner", cell: (s) => <RefLink kind="Team" name={s.spec.owner} /> },
          { label: "Domain", cell: (s) => (s.spec.domain ? <RefLink kind="Domain" name={s.spec.domain} /> : "—") },
          { label: "Description", cell: (s) => s.metadata.title ?? s.metadata.description ?? "", class: "hide-narrow" },
        ]}
        empty={
          <EmptyState title="No systems yet">
            <p>
              Group services into systems with <code>kind: System</code> and set <code>spec.system</code> on each service, then run{" "}
              <code>plinth apply -f catalog/</code>.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

export function SystemPage({ params }: PageProps) {
  const name = params.name;
  useTitle(name);
  const sys = useAsync((signal) => get<System>(`/api/v1/systems/${enc(name)}`, signal), [name]);
  const services = useAsync(() => allServices().then((all) => all.filter((s) => s.spec.system === name)), [name]);
  if (sys.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={sys.error} what={`The system “${name}”`} />
      </>
    );
  }
  const s = sys.data;
  return (
    <>
      <PageHeader title={name} subtitle={s?.metadata.title ?? s?.metadata.description} />
      {!s ? (
        <Loading />
      ) : (
        <>
          <Facts
            rows={[
              ["Owner", <RefLink kind="Team" name={s.spec.owner} />],
              ["Domain", s.spec.domain ? <RefLink kind="Domain" name={s.spec.domain} /> : undefined],
              ["Description", s.metadata.title ? s.metadata.description : undefined],
            ]}
          />
          <section class="card" aria-labelledby="h-services">
            <h2 id="h-services">Services{services.data ? ` (${services.data.length})` : ""}</h2>
            {services.error ? (
              <ErrorMessage error={services.error} />
            ) : !services.data ? (
              <Loading />
            ) : !services.data.length ? (
              <p class="muted">
                No service belongs to {name} yet. Set <code>spec.system: {name}</code> on its services.
              </p>
            ) : (
              <ServiceTable services={services.data} />
            )}
          </section>
        </>
      )}
    </>
  );
}

export function DomainsPage() {
  useTitle("Domains");
  return (
    <>
      <PageHeader title="Domains" subtitle="Areas of the business, each a set of systems." />
      <CatalogList<Domain>
        plural="domains"
        noun="domain"
        rowKey={(d) => d.metadata.name}
        columns={[
          { label: "Domain", cell: (d) => <Link href={`/domains/${enc(d.metadata.name)}`}>{d.metadata.name}</Link> },
          { label: "Owner", cell: (d) => <RefLink kind="Team" name={d.spec.owner} /> },
          { label: "Description", cell: (d) => d.metadata.title ?? d.metadata.description ?? "", class: "hide-narrow" },
        ]}
        empty={
          <EmptyState title="No domains yet">
            <p>
              Domains group systems: declare <code>kind: Domain</code> and set <code>spec.domain</code> on your systems.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

export function DomainPage({ params }: PageProps) {
  const name = params.name;
  useTitle(name);
  const dom = useAsync((signal) => get<Domain>(`/api/v1/domains/${enc(name)}`, signal), [name]);
  const systems = useAsync(() => allSystems().then((all) => all.filter((s) => s.spec.domain === name)), [name]);
  if (dom.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={dom.error} what={`The domain “${name}”`} />
      </>
    );
  }
  const d = dom.data;
  return (
    <>
      <PageHeader title={name} subtitle={d?.metadata.title ?? d?.metadata.description} />
      {!d ? (
        <Loading />
      ) : (
        <>
          <Facts rows={[["Owner", <RefLink kind="Team" name={d.spec.owner} />]]} />
          <section class="card" aria-labelledby="h-systems">
            <h2 id="h-systems">Systems{systems.data ? ` (${systems.data.length})` : ""}</h2>
            {systems.error ? (
              <ErrorMessage error={systems.error} />
            ) : !systems.data ? (
              <Loading />
            ) : !systems.data.length ? (
              <p class="muted">No system belongs to {name} yet.</p>
            ) : (
              <ul class="chips">
                {systems.data.map((s) => (
                  <li key={s.metadata.name}>
                    <RefLink kind="System" name={s.metadata.name} /> <span class="muted small">{s.metadata.title ?? ""}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
