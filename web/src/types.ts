// The shapes of the plinth API's JSON (docs/openapi.yaml), as far as the console reads them.

export type Role = "viewer" | "responder" | "manager" | "admin";

export interface Grant {
  role: Role;
  team?: string;
}

export interface Session {
  actor: string;
  grants: Grant[];
  csrf_token?: string;
}

export interface Link {
  url: string;
  title?: string;
  icon?: string;
}

export interface Metadata {
  name: string;
  title?: string;
  description?: string;
  tags?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  links?: Link[];
}

export interface Status {
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

export interface Entity<Spec> {
  apiVersion?: string;
  kind?: string;
  metadata: Metadata;
  spec: Spec;
  status?: Status;
}

export type Lifecycle = "experimental" | "development" | "production" | "deprecated" | "retired";
export const LIFECYCLES: Lifecycle[] = ["experimental", "development", "production", "deprecated", "retired"];
export const TIERS = [1, 2, 3, 4] as const;

export interface ServiceSpec {
  owner: string;
  tier?: number;
  lifecycle?: Lifecycle;
  type?: string;
  system?: string;
  runbookUrl?: string;
  repositoryUrl?: string;
  dependsOn?: string[];
  attributes?: Record<string, string | number | boolean>;
}

export interface TeamSpec {
  members?: string[];
  chatChannel?: string;
  email?: string;
}

export interface ContactMethod {
  type: string;
  address: string;
}

export interface PersonSpec {
  displayName?: string;
  email?: string;
  timeZone?: string;
  contactMethods?: ContactMethod[];
}

export interface SystemSpec {
  owner: string;
  domain?: string;
}

export interface DomainSpec {
  owner: string;
}

export type Service = Entity<ServiceSpec>;
export type Team = Entity<TeamSpec>;
export type Person = Entity<PersonSpec>;
export type System = Entity<SystemSpec>;
export type Domain = Entity<DomainSpec>;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface DepNode {
  name: string;
  depth: number;
}

export interface Dependencies {
  service: string;
  upstream: DepNode[];
  downstream: DepNode[];
  cycles: string[][];
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  kind: string;
  name: string;
  before: unknown;
  after: unknown;
}

export type Kind = "Service" | "Team" | "Person" | "System" | "Domain";

export interface SearchItem {
  kind: Kind;
  name: string;
  title?: string;
  description?: string;
}

export interface Ref {
  kind: Kind;
  name: string;
}
