// The edit form of a service: tier, lifecycle, runbook and repository URLs, description and
// dependencies. Saves with PUT and If-Match; shows the server's field errors next to the fields
// and explains a conflicting change by someone else.

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, enc, request } from "../api";
import { LIFECYCLES, TIERS, type Lifecycle, type Service } from "../types";

interface Props {
  service: Service;
  etag: string | null;
  onSaved: () => void;
  onCancel: () => void;
}

// Form field → the JSON pointer of its value in the document.
const POINTERS: Record<string, string> = {
  tier: "/spec/tier",
  lifecycle: "/spec/lifecycle",
  runbookUrl: "/spec/runbookUrl",
  repositoryUrl: "/spec/repositoryUrl",
  description: "/metadata/description",
  dependsOn: "/spec/dependsOn",
};

function splitNames(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}

export function ServiceForm({ service, etag, onSaved, onCancel }: Props) {
  const [tier, setTier] = useState(service.spec.tier ? String(service.spec.tier) : "");
  const [lifecycle, setLifecycle] = useState<Lifecycle>(service.spec.lifecycle ?? "production");
  const [runbookUrl, setRunbookUrl] = useState(service.spec.runbookUrl ?? "");
  const [repositoryUrl, setRepositoryUrl] = useState(service.spec.repositoryUrl ?? "");
  const [description, setDescription] = useState(service.metadata.description ?? "");
  const [dependsOn, setDependsOn] = useState((service.spec.dependsOn ?? []).join(", "));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  // Opening the form moves focus into it.
  useEffect(() => form.current?.querySelector<HTMLElement>("select, input")?.focus(), []);

  // After a failed save, focus the first field in error, or the message.
  useEffect(() => {
    if (!error || !form.current) return;
    const target = form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [error]);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const spec = { ...service.spec, lifecycle, dependsOn: splitNames(dependsOn) } as Record<string, unknown>;
    const setOrDrop = (o: Record<string, unknown>, k: string, v: string | number | undefined) => {
      if (v === undefined || v === "") delete o[k];
      else o[k] = v;
    };
    setOrDrop(spec, "tier", tier ? Number(tier) : undefined);
    setOrDrop(spec, "runbookUrl", runbookUrl.trim());
    setOrDrop(spec, "repositoryUrl", repositoryUrl.trim());
    const metadata = { ...service.metadata } as Record<string, unknown>;
    setOrDrop(metadata, "description", description.trim());
    const body = { apiVersion: service.apiVersion ?? "plinth/v1", kind: "Service", metadata, spec };
    try {
      await request("PUT", `/api/v1/services/${enc(service.metadata.name)}`, {
        body,
        headers: etag ? { "If-Match": etag } : {},
      });
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0, detail: String(err) }));
      setBusy(false);
    }
  };

  const fieldError = (field: string) => error?.fieldErrors(POINTERS[field]) ?? [];
  const known = new Set(Object.values(POINTERS));
  const otherErrors = (error?.problem.errors ?? []).filter((e) => ![...known].some((p) => e.pointer === p || e.pointer.startsWith(p + "/")));
  const conflict = error?.status === 409;

  const describedBy = (field: string, hint?: boolean) =>
    [hint ? `hint-${field}` : "", fieldError(field).length ? `err-${field}` : ""].filter(Boolean).join(" ") || undefined;
  const Errors = ({ field }: { field: string }) =>
    fieldError(field).length ? (
      <p class="field-error" id={`err-${field}`}>
        {fieldError(field).join("; ")}
      </p>
    ) : null;

  return (
    <form ref={form} class="card form" onSubmit={save} aria-labelledby="h-edit" noValidate>
      <h2 id="h-edit">Edit {service.metadata.name}</h2>
      {error && (
        <div class="error" role="alert" tabIndex={-1}>
          <p>
            {conflict
              ? `Someone else changed ${service.metadata.name} since you opened it. Cancel and reload to see their change, then edit again.`
              : error.message}
          </p>
          {otherErrors.length > 0 && (
            <ul>
              {otherErrors.map((e) => (
                <li key={e.pointer}>
                  <code>{e.pointer}</code>: {e.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="form-grid">
        <div class="field">
          <label for="e-tier">Tier</label>
          <select id="e-tier" value={tier} onChange={(e) => setTier((e.target as HTMLSelectElement).value)} aria-invalid={fieldError("tier").length > 0} aria-describedby={describedBy("tier")}>
            <option value="">Unclassified</option>
            {TIERS.map((t) => (
              <option value={String(t)} key={t}>
                Tier {t}
              </option>
            ))}
          </select>
          <Errors field="tier" />
        </div>
        <div class="field">
          <label for="e-lifecycle">Lifecycle</label>
          <select
            id="e-lifecycle"
            value={lifecycle}
            onChange={(e) => setLifecycle((e.target as HTMLSelectElement).value as Lifecycle)}
            aria-invalid={fieldError("lifecycle").length > 0}
            aria-describedby={describedBy("lifecycle")}
          >
            {LIFECYCLES.map((l) => (
              <option value={l} key={l}>
                {l}
              </option>
            ))}
          </select>
          <Errors field="lifecycle" />
        </div>
        <div class="field span-2">
          <label for="e-runbook">Runbook URL</label>
          <input
            id="e-runbook"
            type="url"
            value={runbookUrl}
            onInput={(e) => setRunbookUrl((e.target as HTMLInputElement).value)}
            aria-invalid={fieldError("runbookUrl").length > 0}
            aria-describedby={describedBy("runbookUrl")}
          />
          <Errors field="runbookUrl" />
        </div>
        <div class="field span-2">
          <label for="e-repo">Repository URL</label>
          <input
            id="e-repo"
            type="url"
            value={repositoryUrl}
            onInput={(e) => setRepositoryUrl((e.target as HTMLInputElement).value)}
            aria-invalid={fieldError("repositoryUrl").length > 0}
            aria-describedby={describedBy("repositoryUrl")}
          />
          <Errors field="repositoryUrl" />
        </div>
        <div class="field span-2">
          <label for="e-description">Description</label>
          <textarea
            id="e-description"
            rows={3}
            value={description}
            onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
            aria-invalid={fieldError("description").length > 0}
            aria-describedby={describedBy("description")}
          />
          <Errors field="description" />
        </div>
        <div class="field span-2">
          <label for="e-deps">Depends on</label>
          <input
            id="e-deps"
            value={dependsOn}
            onInput={(e) => setDependsOn((e.target as HTMLInputElement).value)}
            aria-invalid={fieldError("dependsOn").length > 0}
            aria-describedby={describedBy("dependsOn", true)}
          />
          <p class="hint" id="hint-dependsOn">
            Service names, separated by commas.
          </p>
          <Errors field="dependsOn" />
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
