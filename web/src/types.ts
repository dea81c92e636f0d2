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
  paging?: ServicePagingSpec;
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

export type Kind =
  | "Service"
  | "Team"
  | "Person"
  | "System"
  | "Domain"
  | "Schedule"
  | "EscalationPolicy";

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

// ---- Paging (docs/openapi.yaml, tag paging; docs/paging.md) ----

export interface PagingWindow {
  timeZone: string;
  days?: string[];
  start: string;
  end: string;
}

export interface ServicePagingSpec {
  escalationPolicy: string;
  urgency?: "high" | "low" | "severity";
  supportHours?: PagingWindow;
  acknowledgementTimeout?: string;
  autoResolveTimeout?: string;
  groupingWindow?: string;
}

export interface EscalationTarget {
  person?: string;
  schedule?: string;
  team?: string;
}

export interface EscalationLevel {
  escalateAfter?: string;
  notify?: "all" | "roundRobin";
  when?: PagingWindow;
  targets: EscalationTarget[];
}

export interface EscalationPolicySpec {
  owner: string;
  repeat?: number;
  levels: EscalationLevel[];
}

export type EscalationPolicy = Entity<EscalationPolicySpec>;

export type IncidentStatus = "triggered" | "acknowledged" | "resolved";

export interface Incident {
  id: string;
  number: number;
  service: string;
  title: string;
  urgency: "high" | "low";
  status: IncidentStatus;
  createdAt: string;
  lastAlertAt: string;
  alertCount: number;
  assignees: string[];
  escalationPolicy: string | null;
  level: number; // 1-based
  loop: number; // 0-based pass
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  snoozedUntil?: string;
  actionable?: boolean;
}

export interface IncidentList {
  items: Incident[];
  nextCursor: string;
}

export interface IncidentAlert {
  id: string;
  dedupKey: string;
  status: string;
  summary: string;
  source: string;
  severity: string;
  component?: string;
  group?: string;
  class?: string;
  details: Record<string, unknown>;
  eventCount: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt?: string;
  integration: string;
  integrationType: string;
}

export interface IncidentLogEntry {
  at: string;
  kind: string;
  actor: string;
  detail: string;
}

export interface IncidentPageEntry {
  person: string;
  at: string;
  level: number;
  loop: number;
  schedule?: string;
}

export interface NotificationDelivery {
  id: string;
  person: string;
  channel: string;
  address: string;
  idempotencyKey: string;
  status: "pending" | "sent" | "failed" | "cancelled";
  attempts: number;
  dueAt: string;
  createdAt: string;
  firstAttemptAt?: string;
  sentAt?: string;
  providerId?: string;
  lastError?: string;
}

export interface IncidentDetail extends Incident {
  alerts: IncidentAlert[];
  log: IncidentLogEntry[];
  pages: IncidentPageEntry[];
  deliveries: NotificationDelivery[];
}

export type IntegrationType = "events-v2" | "alertmanager" | "generic";

export interface Integration {
  id: string;
  service: string;
  type: IntegrationType;
  name: string;
  keyHint: string;
  createdBy: string;
  createdAt: string;
  mapping?: Record<string, string>;
  revokedAt?: string;
}

// The answer to creating an integration: the only time its key is shown.
export interface NewIntegration extends Integration {
  key: string;
  url: string;
}

export interface ServiceChange {
  id: string;
  at: string;
  receivedAt: string;
  summary: string;
  source: string;
  details: Record<string, unknown>;
}

// Paging analytics (GET /api/v1/paging/analytics; src/paging/analytics.h defines the figures).
export interface TimeStat {
  meanSeconds?: number | null;
  medianSeconds?: number | null;
}

export interface AlertQuality {
  resolved: number;
  actionable: number;
  notActionable: number;
  autoResolved: number;
  noVerdict: number;
  actionableShare?: number | null;
  notActionableShare?: number | null;
  autoResolvedShare?: number | null;
}

export interface PagingFigures {
  incidents: number;
  highUrgency: number;
  alerts: number;
  pages: number;
  acknowledged: number;
  resolved: number;
  open: number;
  mtta: TimeStat;
  mttr: TimeStat;
  quality: AlertQuality;
}

export interface PagingAnalytics {
  from: string;
  to: string;
  team?: string | null;
  service?: string | null;
  totals: PagingFigures & { pagesOnCall: number; shifts: number; pagesPerShift?: number | null };
  teams: (PagingFigures & { team?: string | null })[];
  services: (PagingFigures & { service: string; team?: string | null })[];
  people: {
    person: string;
    timeZone: string;
    pages: number;
    highUrgencyPages: number;
    offHoursPages: number;
    pagesOnCall: number;
    shifts: number;
    pagesPerShift?: number | null;
  }[];
  noisiest: { service: string; alert: string; alerts: number; incidents: number; flapping: number; lastAt: string }[];
  daily: { date: string; incidents: number; highUrgency: number; alerts: number; pages: number }[];
}
