// Small building blocks shared by the pages.

import type { ComponentChildren } from "preact";
import { ApiError } from "../api";
import { pathOf } from "../data";
import { formatAbsolute, formatRelative } from "../format";
import { Link } from "../router";
import type { Kind } from "../types";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}

export function ErrorMessage({ error, what }: { error: unknown; what?: string }) {
  let text = String(error);
  if (error instanceof ApiError) {
    if (error.status === 404) text = `${what ?? "This resource"} does not exist (or was deleted).`;
    else if (error.status === 403) text = `You may not see this: ${error.message}`;
    else text = error.message;
  } else if (error instanceof Error) {
    text = error.message;
  }
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

// What to do when there is nothing to show yet.
export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty-state">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

export function NoServicesHelp() {
  return (
    <EmptyState title="No services yet">
      <p>
        Describe your services as YAML and run <code>plinth apply -f catalog/</code>, or import your Backstage catalog
        with <code>plinth apply -f catalog-info.yaml</code>. Examples are in <code>examples/catalog/</code>.
      </p>
    </EmptyState>
  );
}

export function Tier({ tier }: { tier?: number }) {
  if (!tier) return <span class="badge badge-none">unclassified</span>;
  return <span class={`badge tier tier-${tier}`}>Tier {tier}</span>;
}

export function Lifecycle({ value }: { value?: string }) {
  const v = value ?? "production";
  return <span class={`badge lc lc-${v}`}>{v}</span>;
}

export function Time({ iso, now }: { iso: string; now?: number }) {
  return (
    <time dateTime={iso} title={formatAbsolute(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

export function RefLink({ kind, name }: { kind: Kind; name: string }) {
  return <Link href={pathOf(kind, name)}>{name}</Link>;
}

// A URL that may wrap after its slashes rather than anywhere.
function breakable(text: string) {
  const parts = text.split("/");
  return parts.map((p, i) => (i < parts.length - 1 ? [p, "/", <wbr key={i} />] : p));
}

// An external link, opened in a new tab.
export function ExtLink({ href, children }: { href: string; children?: ComponentChildren }) {
  const safe = /^https?:\/\//i.test(href) || href.startsWith("/");
  if (!safe) return <span>{children ?? href}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" class="ext">
      {children ?? breakable(href.replace(/^https?:\/\//i, ""))}
    </a>
  );
}

// A <dl> of label → value rows; rows whose value is null/undefined/"" are left out.
export function Facts({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {rows
        .filter(([, v]) => v !== undefined && v !== null && v !== "")
        .map(([k, v]) => (
          <div class="fact" key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <div class="page-header">
      <div>
        <h1 tabIndex={-1}>{title}</h1>
        {subtitle && <p class="subtitle">{subtitle}</p>}
      </div>
      {actions && <div class="actions">{actions}</div>}
    </div>
  );
}

// A choice of a <select>: [value, label].
export type Choice = [value: string, label: string];

// A labelled filter <select> over `choices`, led by an empty choice meaning "no filter".
export function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  any: string;
  choices: Choice[];
  onChange: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{props.any}</option>
        {props.choices.map(([value, label]) => (
          <option value={value} key={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
