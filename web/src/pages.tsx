// The console's pages: one row per page. Adding a page is one row here (and its component):
// `path` is matched against the URL (":name" is a parameter), `title` is the navigation label
// and the document title, `nav` the navigation section it is listed under (leave it out for
// detail pages), and `component` renders it with the path's parameters. Sections appear in
// the navigation in the order they first occur here; `match` lets a nav entry stay current on
// its detail pages (by default, "/services" is current on "/services/…").

import type { FunctionComponent } from "preact";
import { AuditPage } from "./pages/audit";
import { CostExplorerPage } from "./pages/cost";
import { CostAnomaliesPage, CostAnomalyPage } from "./pages/cost_anomalies";
import { CostBudgetsPage } from "./pages/cost_budgets";
import { CostReviewPage } from "./pages/cost_review";
import { CostShowbackPage } from "./pages/cost_showback";
import { CostUnitPage } from "./pages/cost_unit";
import { EscalationPoliciesPage, EscalationPolicyPage } from "./pages/escalation_policies";
import { HomePage } from "./pages/home";
import { IncidentPage } from "./pages/incident";
import { IncidentsPage } from "./pages/incidents";
import { OnCallPage, OnCallReportPage } from "./pages/oncall";
import { PagingAnalyticsPage } from "./pages/paging_analytics";
import { PeoplePage, PersonPage } from "./pages/people";
import { SchedulePage, SchedulesPage } from "./pages/schedule";
import { ServicePage } from "./pages/service";
import { ServicesPage } from "./pages/services";
import { SloPage, SloReportPage, SlosPage } from "./pages/slos";
import { DomainPage, DomainsPage, SystemPage, SystemsPage } from "./pages/systems";
import { TeamPage, TeamsPage } from "./pages/teams";

export interface PageProps {
  params: Record<string, string>;
}

export interface PageDef {
  path: string;
  title: string;
  nav?: string;
  component: FunctionComponent<PageProps>;
}

export const PAGES: PageDef[] = [
  { path: "/", title: "Overview", nav: "Overview", component: HomePage },
  { path: "/services", title: "Services", nav: "Catalog", component: ServicesPage },
  { path: "/services/:name", title: "Service", component: ServicePage },
  { path: "/teams", title: "Teams", nav: "Catalog", component: TeamsPage },
  { path: "/teams/:name", title: "Team", component: TeamPage },
  { path: "/people", title: "People", nav: "Catalog", component: PeoplePage },
  { path: "/people/:name", title: "Person", component: PersonPage },
  { path: "/systems", title: "Systems", nav: "Catalog", component: SystemsPage },
  { path: "/systems/:name", title: "System", component: SystemPage },
  { path: "/domains", title: "Domains", nav: "Catalog", component: DomainsPage },
  { path: "/domains/:name", title: "Domain", component: DomainPage },
  { path: "/oncall", title: "On call", nav: "On call", component: OnCallPage },
  { path: "/oncall/report", title: "On-call health", component: OnCallReportPage },
  { path: "/schedules", title: "Schedules", nav: "On call", component: SchedulesPage },
  { path: "/schedules/:name", title: "Schedule", component: SchedulePage },
  { path: "/incidents", title: "Incidents", nav: "Paging", component: IncidentsPage },
  { path: "/incidents/:number", title: "Incident", component: IncidentPage },
  { path: "/escalationpolicies", title: "Escalation policies", nav: "Paging", component: EscalationPoliciesPage },
  { path: "/escalationpolicies/:name", title: "Escalation policy", component: EscalationPolicyPage },
  { path: "/paging/analytics", title: "Paging analytics", nav: "Paging", component: PagingAnalyticsPage },
  { path: "/slos", title: "SLOs", nav: "Reliability", component: SlosPage },
  { path: "/slos/report", title: "Reliability report", nav: "Reliability", component: SloReportPage },
  { path: "/slos/:name", title: "SLO", component: SloPage },
  { path: "/cost", title: "Cost", nav: "Cost", component: CostExplorerPage },
  { path: "/cost/showback", title: "Showback", component: CostShowbackPage },
  { path: "/cost/budgets", title: "Budgets", component: CostBudgetsPage },
  { path: "/cost/anomalies", title: "Cost anomalies", component: CostAnomaliesPage },
  { path: "/cost/anomalies/:id", title: "Cost anomaly", component: CostAnomalyPage },
  { path: "/cost/unit", title: "Unit costs", component: CostUnitPage },
  { path: "/cost/review", title: "Monthly cost review", component: CostReviewPage },
  { path: "/audit", title: "Audit log", nav: "Admin", component: AuditPage },
];
