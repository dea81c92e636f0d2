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

export type Kind = "Service" | "Team" | "Person" | "System" | "Domain" | "Schedule";

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

// ---- On call (docs/openapi.yaml, tag oncall) ----

export interface Restriction {
  type: "daily" | "weekly";
  start: string; // "09:00", local time of the schedule's zone
  end?: string;
  duration?: string; // instead of end: "8h"
  startDay?: string; // weekly: "monday"
  endDay?: string;
}

export interface ScheduleLayer {
  name: string;
  participants: string[];
  turn: string; // "1w"
  start: string; // "2026-08-03T09:00", local wall time
  end?: string;
  restrictions?: Restriction[];
}

export interface ScheduleSpec {
  team?: string;
  timeZone: string;
  layers: ScheduleLayer[];
}

export type Schedule = Entity<ScheduleSpec>;

// Who is on call in [start, end): person null is a gap; source is the layer, "override" or null.
export interface Shift {
  person: string | null;
  start: string;
  end: string;
  source: string | null;
  override_id?: string;
}

export interface FinalSchedule {
  schedule: string;
  timeZone: string;
  from: string;
  to: string;
  final: Shift[];
  layers: { name: string; shifts: Shift[] }[];
}

export interface OnCallNow {
  schedule: string;
  title?: string;
  team: string | null;
  timeZone: string;
  shift: Shift;
  next: Shift | null;
}

export interface PersonShifts {
  person: string;
  timeZone: string;
  items: (Shift & { schedule: string })[];
}

export interface Override {
  id: string;
  schedule: string;
  person: string;
  start: string;
  end: string;
  reason: string;
  created_by: string;
  created: string;
  swap_id?: string;
}

export interface PersonLoad {
  person: string;
  timeZone: string;
  known?: boolean;
  hours: number;
  weeks: number;
  off_hours: number;
  shifts: number;
  pages: number;
  over_policy: boolean;
  reason: string;
}

export interface ScheduleHealth {
  schedule: string;
  hours: number;
  gap_hours?: number;
  balance: number;
  gaps: { start: string; end: string; hours?: number }[];
}

export interface FairnessReport {
  quarter: string;
  from: string;
  to: string;
  policy: { max_weeks_per_quarter: number };
  people: PersonLoad[];
  schedules: ScheduleHealth[];
}

// SLOs (docs/openapi.yaml: /api/v1/slo-status, /api/v1/slos/{name}/status, …).
export interface SloWindow {
  description: string;
  start: string;
  end: string;
  length_minutes: number;
}

export interface SloAlertCondition {
  condition: string;
  severity: string;
  long_burn: number | null;
  short_burn: number | null;
  factor: number | null;
}

export type PolicyStatus = "ok" | "at risk" | "exhausted";

export interface SloStatus {
  slo: string;
  title: string;
  service: string;
  team: string | null;
  tier: number | null;
  objective: number;
  method: string;
  window: SloWindow;
  events: { good: number; total: number; bad: number };
  attainment: number | null;
  budget: { total: number; consumed: number; remaining_ratio: number | null };
  burn_rates?: { window: string; burn_rate: number | null }[];
  minutes_to_exhaustion: number | null;
  no_data: boolean;
  no_data_reason: string | null;
  alerts: SloAlertCondition[];
  policy: string | null;
  policy_status: PolicyStatus;
}

export interface SloStatusList {
  at: string;
  items: SloStatus[];
}

export interface BurndownPoint {
  time: string;
  remaining_ratio: number | null;
  attainment: number | null;
}

export interface Burndown {
  slo: string;
  window: SloWindow;
  points: BurndownPoint[];
}

export interface SloAlert {
  id: string;
  condition: string;
  severity: string;
  start: string;
  end: string | null;
  detail: string;
}

export interface SloReportSlo {
  slo: string;
  title?: string;
  objective: number;
  attainment: number | null;
  met: boolean | null;
  budget_remaining: number | null;
}

export interface SloReport {
  period: string;
  from: string;
  to: string;
  services: { service: string; team: string | null; tier: number | null; slos: SloReportSlo[] }[];
  tiers: { tier: number | null; slos: number; met: number; missed: number; no_data: number }[];
}
