// People: the list, and one person with their local time, contact methods and teams.

import { enc, get } from "../api";
import { CatalogList } from "../components/catalog_list";
import { EmptyState, ErrorMessage, Facts, Loading, PageHeader, RefLink } from "../components/ui";
import { referencedBy } from "../data";
import { localTime } from "../format";
import { useAsync, useNow, useTitle } from "../hooks";
import { Link } from "../router";
import type { Person } from "../types";
import type { PageProps } from "../pages";

export function PeoplePage() {
  useTitle("People");
  const now = useNow(30_000);
  return (
    <>
      <PageHeader title="People" subtitle="Everyone in the catalog, with their local time now." />
      <CatalogList<Person>
        plural="people"
        noun="person"
        rowKey={(p) => p.metadata.name}
        columns={[
          { label: "Name", cell: (p) => <Link href={`/people/${enc(p.metadata.name)}`}>{p.spec.displayName ?? p.metadata.name}</Link> },
          { label: "Local time", cell: (p) => localTime(p.spec.timeZone, now) ?? "—" },
          { label: "Time zone", cell: (p) => p.spec.timeZone ?? "—", class: "hide-narrow" },
          { label: "Email", cell: (p) => (p.spec.email ? <a href={`mailto:${p.spec.email}`}>{p.spec.email}</a> : ""), class: "hide-narrow" },
        ]}
        empty={
          <EmptyState title="No people yet">
            <p>
              Declare people as YAML (<code>kind: Person</code> with a time zone and contact methods) and run <code>plinth apply -f catalog/</code>;
              Backstage <code>User</code> entities are imported as people.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

const CONTACT_LABELS: Record<string, string> = { email: "Email", sms: "SMS", voice: "Phone", slack: "Slack", teams: "Microsoft Teams", webhook: "Webhook" };

function contactHref(type: string, address: string): string | undefined {
  if (type === "email") return `mailto:${address}`;
  if (type === "sms") return `sms:${address}`;
  if (type === "voice") return `tel:${address}`;
  return undefined;
}

export function PersonPage({ params }: PageProps) {
  const name = params.name;
  const now = useNow(30_000);
  const person = useAsync((signal) => get<Person>(`/api/v1/people/${enc(name)}`, signal), [name]);
  const teams = useAsync((signal) => referencedBy("Person", name, signal), [name]);
  const p = person.data;
  useTitle(p?.spec.displayName ?? name);
  if (person.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={person.error} what={`The person “${name}”`} />
      </>
    );
  }
  const zone = p?.spec.timeZone;
  return (
    <>
      <PageHeader title={p?.spec.displayName ?? name} subtitle={p?.metadata.description} />
      {!p ? (
        <Loading />
      ) : (
        <>
          <Facts
            rows={[
              ["Name", <span class="mono">{p.metadata.name}</span>],
              ["Email", p.spec.email ? <a href={`mailto:${p.spec.email}`}>{p.spec.email}</a> : undefined],
              ["Local time", zone ? <span data-testid="local-time">{localTime(zone, now) ?? "unknown time zone"}</span> : undefined],
              ["Time zone", zone],
            ]}
          />
          <div class="grid">
            <section class="card" aria-labelledby="h-contact">
              <h2 id="h-contact">Contact methods</h2>
              {!p.spec.contactMethods?.length ? (
                <p class="muted">None. Add spec.contactMethods so plinth can reach {p.spec.displayName ?? name}.</p>
              ) : (
                <ul class="links">
                  {p.spec.contactMethods.map((c) => {
                    const href = contactHref(c.type, c.address);
                    return (
                      <li key={`${c.type}:${c.address}`}>
                        <span class="link-kind">{CONTACT_LABELS[c.type] ?? c.type}</span> {href ? <a href={href}>{c.address}</a> : <span class="mono">{c.address}</span>}
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
            <section class="card" aria-labelledby="h-teams">
              <h2 id="h-teams">Teams</h2>
              {teams.error ? (
                <ErrorMessage error={teams.error} />
              ) : !teams.data ? (
                <Loading />
              ) : !teams.data.filter((r) => r.kind === "Team").length ? (
                <p class="muted">Not a member of any team.</p>
              ) : (
                <ul class="chips">
                  {teams.data
                    .filter((r) => r.kind === "Team")
                    .map((r) => (
                      <li key={r.name}>
                        <RefLink kind="Team" name={r.name} />
                      </li>
                    ))}
                </ul>
              )}
            </section>
          </div>
        </>
      )}
    </>
  );
}
