#include "cli/demo_paging_stories.h"

#include <algorithm>

#include "catalog/repository.h"
#include "reliability/evaluator.h"
#include "schedule/zone.h"
#include "server/slo_paging.h"

namespace plinth::cli::demo_paging {

std::string World::OnCall(const std::string& schedule, int64_t at) const {
  auto it = finals.find(schedule);
  if (it == finals.end()) return "";
  const auto& v = it->second;
  auto s = std::upper_bound(v.begin(), v.end(), at,
                            [](int64_t t, const schedule::Shift& x) { return t < x.start_ms; });
  if (s == v.begin()) return "";
  --s;
  return at < s->end_ms ? s->person : "";
}

const date::time_zone* World::Zone(const std::string& name) const {
  auto z = schedule::FindZone(name);
  return z.ok() ? *z : *schedule::FindZone("UTC");
}

int64_t World::LocalTimeOn(const std::string& zone, int64_t at, int64_t local_s) const {
  const date::time_zone* z = Zone(zone);
  int64_t local = schedule::UtcToLocalS(z, at);
  return schedule::LocalToUtcMs(z, schedule::FloorDiv(local, 86400) * 86400 + local_s);
}

namespace {

std::string GroupKey(const std::string& klass, const std::string& service) {
  return "{}:{alertname=\"" + klass + "\", service=\"" + service + "\"}";
}

struct Kind {
  const char* klass;
  const char* severity;
  const char* text;  // "{host}" is replaced
  int weight;
};

const std::vector<Kind>& KindsFor(const std::string& type) {
  static const std::vector<Kind> service = {
      {"HighErrorRate", "critical", "5xx responses above 2% for 5 minutes", 4},
      {"HighLatency", "error", "p99 latency above 800 ms for 10 minutes", 4},
      {"PodCrashLooping", "error", "pod {host} restarting repeatedly", 2},
      {"InstanceDown", "critical", "{host} is down", 1},
      {"CPUThrottling", "warning", "CPU throttled above 25% on {host}", 3},
      {"CertificateExpiry", "warning", "TLS certificate expires in 7 days", 1}};
  static const std::vector<Kind> database = {
      {"ReplicationLag", "critical", "replication lag above 30 s on {host}", 3},
      {"ConnectionsSaturated", "error", "connections above 90% of the maximum", 3},
      {"DiskSpaceLow", "warning", "disk usage above 85% on {host}", 3},
      {"SlowQueries", "warning", "more than 50 slow queries a minute", 2},
      {"InstanceDown", "critical", "{host} is down", 1}};
  static const std::vector<Kind> queue = {
      {"KafkaUnderReplicatedPartitions", "error", "under-replicated partitions on {host}", 3},
      {"KafkaConsumerLag", "warning", "consumer lag above 100k messages", 3},
      {"DiskSpaceLow", "warning", "disk usage above 85% on {host}", 2},
      {"InstanceDown", "critical", "{host} is down", 1}};
  if (type == "database" || type == "storage") return database;
  if (type == "queue") return queue;
  return service;
}

std::string Summary(const std::string& service, std::string text, const std::string& host) {
  if (auto at = text.find("{host}"); at != std::string::npos) text.replace(at, 6, host);
  return service + ": " + text;
}

AlertSpec MakeAlert(const Svc& s, const Kind& k, int64_t at, Rng& rng) {
  std::string host = s.name + "-" + std::to_string(1 + rng.Below(3));
  return {at, k.klass, k.severity, Summary(s.name, k.text, host), host, ""};
}

// The outcome of an everyday incident: acknowledgement, resolution and verdict.
void DecideOutcome(Story& st, bool high, bool night, Rng& rng) {
  const int64_t created = st.alerts[0].at;
  const auto auto_resolve = st.svc->paging.auto_resolve_ms;
  if (high) {
    double u = rng.Unit();
    int64_t ack = kMinute + int64_t(u * u * 9 * double(kMinute));
    if (night) ack += rng.Between(kMinute, 4 * kMinute);
    if (rng.Unit() < 0.06) ack = 15 * kMinute + rng.Between(kMinute, 12 * kMinute);
    st.ack_ms = created + ack / kSecond * kSecond;
    int64_t fix = rng.Between(8 * kMinute, 100 * kMinute);
    if (rng.Unit() < 0.2) fix *= 2;
    st.resolve_ms = *st.ack_ms + fix;
    st.resolver = rng.Unit() < 0.5 ? "source" : "person";
    double v = rng.Unit();
    st.verdict = v < 0.72 ? 1 : v < 0.85 ? 0 : -1;
  } else {
    double u = rng.Unit();
    if (u < 0.45) {  // clears by itself before anyone looks
      st.resolve_ms = created + rng.Between(3 * kMinute, 14 * kMinute);
      st.resolver = "source";
      st.verdict = rng.Unit() < 0.1 ? 0 : -1;
    } else if (u < 0.9) {
      st.ack_ms = created + rng.Between(2 * kMinute, 14 * kMinute);
      st.resolve_ms = *st.ack_ms + rng.Between(20 * kMinute, 180 * kMinute);
      st.resolver = rng.Unit() < 0.7 ? "source" : "person";
      double v = rng.Unit();
      st.verdict = v < 0.4 ? 0 : v < 0.6 ? 1 : -1;
    } else {  // acknowledged, then forgotten
      st.ack_ms = created + rng.Between(2 * kMinute, 14 * kMinute);
      st.resolve_ms = created + rng.Between(60 * kMinute, 200 * kMinute);
      st.resolver = "source";
      if (auto_resolve) {
        st.resolve_ms = created + *auto_resolve;
        st.resolver = "timeout";
      }
    }
  }
  if (auto_resolve && *st.resolve_ms - created > *auto_resolve) {
    st.resolve_ms = created + *auto_resolve;
    st.resolver = "timeout";
    st.verdict = -1;
  }
  // Alerts that would arrive after the incident resolved never joined it.
  while (st.alerts.size() > 1 && st.alerts.back().at >= *st.resolve_ms) st.alerts.pop_back();
}

bool NightFor(const World& w, const Svc& s, int64_t at) {
  std::string person = w.OnCall(s.team + "-primary", at);
  auto zone = w.zone_of.find(person);
  if (zone == w.zone_of.end()) return false;
  int64_t local = schedule::UtcToLocalS(w.Zone(zone->second), at);
  return local - schedule::FloorDiv(local, 86400) * 86400 < 7 * 3600;
}

// Everyday incidents: about 1.4 a week per tier-1 service and 0.6 per tier-2 one, 60% of them
// in the owning team's office hours.
void Everyday(const World& w, Rng& rng, std::vector<Story>& out) {
  for (const auto& [name, s] : w.services) {
    const double rate = s.tier == 1 ? 0.2 : 0.09;
    const auto& kinds = KindsFor(s.type);
    int total_weight = 0;
    for (const auto& k : kinds) total_weight += k.weight;
    for (int64_t d = 0; d < kDays; ++d) {
      if (rng.Unit() >= rate) continue;
      int64_t day_start = w.now - (kDays - d) * kDay;
      int64_t at;
      if (rng.Unit() < 0.6) {
        auto zone = w.schedule_zone.find(s.team + "-primary");
        at = w.LocalTimeOn(zone == w.schedule_zone.end() ? "UTC" : zone->second,
                           day_start + 12 * kHour, 9 * 3600) +
             rng.Between(0, 9 * kHour);
      } else {
        at = day_start + rng.Between(0, kDay);
      }
      if (at >= w.now - 6 * kHour) continue;
      int pick = int(rng.Below(size_t(total_weight)));
      const Kind* k = &kinds[0];
      for (const auto& candidate : kinds) {
        if ((pick -= candidate.weight) < 0) {
          k = &candidate;
          break;
        }
      }
      Story st;
      st.svc = &s;
      if (s.tier == 1 && std::string(k->klass) == "HighErrorRate" && rng.Unit() < 0.3) {
        st.integration = "synthetics";
        st.alerts.push_back({at, "SyntheticCheckFailed", "critical",
                             s.name + ": synthetic check failing from 3 of 5 regions",
                             "synthetics-eu-1", ""});
      } else {
        st.alerts.push_back(MakeAlert(s, *k, at, rng));
        double more = rng.Unit();
        int64_t next = at;
        for (int i = more < 0.75 ? 0 : more < 0.92 ? 1 : 2; i > 0; --i) {
          next += rng.Between(20 * kSecond, 150 * kSecond);
          st.alerts.push_back(MakeAlert(s, *k, next, rng));
        }
      }
      st.group_key = st.integration == "prometheus" ? GroupKey(st.alerts[0].klass, s.name) : "";
      bool high =
          escalation::UrgencyOf(s.paging, st.alerts[0].severity, at) == escalation::Urgency::kHigh;
      DecideOutcome(st, high, NightFor(w, s, at), rng);
      out.push_back(std::move(st));
    }
  }
}

// search-index's disk-space warning on one data node: fires about ten times a week and clears
// by itself within a few minutes.
void Flapping(const World& w, Rng& rng, std::vector<Story>& out) {
  auto it = w.services.find("search-index");
  if (it == w.services.end()) return;
  const Svc& s = it->second;
  const std::string host = "search-index-data-2";
  AlertSpec base{0,         "DiskSpaceLow",
                 "warning", Summary(s.name, "disk usage above 85% on {host}", host),
                 host,      "DiskSpaceLow-" + host};
  int64_t last = 0;
  for (int64_t d = 0; d < kDays; ++d) {
    int64_t day_start = w.now - (kDays - d) * kDay;
    std::vector<int64_t> times;
    for (size_t n = rng.Below(3) + (rng.Unit() < 0.45 ? 1 : 0); n > 0; --n) {
      times.push_back(day_start + rng.Between(0, kDay));
    }
    std::sort(times.begin(), times.end());
    for (int64_t at : times) {
      if (at < last + 15 * kMinute || at >= w.now - 30 * kMinute) continue;
      last = at;
      Story st;
      st.svc = &s;
      st.group_key = GroupKey(base.klass, s.name);
      AlertSpec a = base;
      a.at = at;
      st.alerts.push_back(a);
      st.resolve_ms = at + rng.Between(70 * kSecond, 270 * kSecond);
      st.resolver = "source";
      st.verdict = rng.Unit() < 0.08 ? 0 : -1;
      out.push_back(std::move(st));
    }
  }
}

// About eleven days ago, six high-urgency payments incidents between 01:00 and 05:00 local time
// of the person on call: the first night (from eleven days back, then nearby ones) on which one
// payments member holds payments-primary through all of them, in their own zone.
void NightOfPages(const World& w, Rng& rng, std::vector<Story>& out) {
  const std::string schedule = "payments-primary";
  auto team = w.members.find("payments");
  if (team == w.members.end()) return;
  struct Event {
    const char* service;
    int64_t local_s;  // local time of the person on call
    Kind kind;
    int ack_min, fix_min;
    const char* resolver;
    int verdict;
  };
  const Kind errors{"HighErrorRate", "critical", "5xx responses above 2% for 5 minutes", 0};
  const Kind latency{"HighLatency", "error", "p99 latency above 800 ms for 10 minutes", 0};
  const Event events[] = {
      {"payments-api", 1 * 3600 + 7 * 60, errors, 4, 21, "source", 1},
      {"ledger",
       1 * 3600 + 41 * 60,
       {"ReplicationLag", "critical", "replication lag above 30 s on {host}", 0},
       6,
       34,
       "person",
       1},
      {"payments-api", 2 * 3600 + 16 * 60, latency, 17, 35, "person", 1},
      {"fraud-scoring", 2 * 3600 + 58 * 60, latency, 5, 15, "source", 0},
      {"payments-api", 3 * 3600 + 33 * 60, errors, 3, 28, "person", 1},
      {"ledger",
       4 * 3600 + 21 * 60,
       {"InstanceDown", "critical", "{host} is down", 0},
       7,
       28,
       "source",
       1},
  };
  for (int64_t days : {11, 12, 10, 13, 9, 14, 8, 15, 16, 17, 18, 19, 20, 21}) {
    for (const auto& person : team->second) {
      auto zone = w.zone_of.find(person);
      if (zone == w.zone_of.end()) continue;
      const int64_t day = w.now - days * kDay;
      bool holds = true;
      for (const auto& e : events) {
        int64_t at = w.LocalTimeOn(zone->second, day, e.local_s);
        holds = holds && w.OnCall(schedule, at) == person &&
                w.OnCall(schedule, at + (e.ack_min + 1) * kMinute) == person;
      }
      if (!holds) continue;
      for (const auto& e : events) {
        auto svc = w.services.find(e.service);
        if (svc == w.services.end()) continue;
        int64_t at = w.LocalTimeOn(zone->second, day, e.local_s) + rng.Between(0, 50 * kSecond);
        Story st;
        st.svc = &svc->second;
        st.alerts.push_back(MakeAlert(svc->second, e.kind, at, rng));
        st.alerts.push_back(
            MakeAlert(svc->second, e.kind, at + rng.Between(30 * kSecond, 3 * kMinute), rng));
        st.group_key = GroupKey(e.kind.klass, e.service);
        st.ack_ms = at + e.ack_min * kMinute + rng.Between(0, 50 * kSecond);
        st.resolve_ms = *st.ack_ms + e.fix_min * kMinute;
        st.resolver = e.resolver;
        st.verdict = e.verdict;
        out.push_back(std::move(st));
      }
      return;
    }
  }
}

// Twenty days ago at 14:05 UTC a Kafka broker fails: 38 alerts in ten minutes on kafka and the
// services behind it, grouped as the paging engine groups them (by group key, else into the
// service's newest open incident within its grouping window).
void AlertStorm(const World& w, Rng& rng, std::vector<Story>& out) {
  const int64_t t0 = schedule::FloorDiv(w.now - 20 * kDay, kDay) * kDay + 14 * kHour + 5 * kMinute;
  struct Burst {
    const char* service;
    Kind kind;
    const char* unit;  // what each alert is about: unit + its number
    int count;
    int64_t from, to;  // after t0
  };
  const Burst bursts[] = {
      {"kafka",
       {"KafkaBrokerDown", "critical", "{host} is not in the cluster", 0},
       "broker kafka-",
       1,
       0,
       1},
      {"kafka",
       {"KafkaUnderReplicatedPartitions", "error", "under-replicated partitions in {host}", 0},
       "topic orders-",
       14,
       20 * kSecond,
       4 * kMinute},
      {"kafka",
       {"KafkaConsumerLag", "error", "consumer lag above 100k messages for {host}", 0},
       "group consumer-",
       12,
       5 * kMinute + 30 * kSecond,
       10 * kMinute},
      {"event-pipeline",
       {"KafkaConsumerLag", "error", "consumer lag above 100k messages on {host}", 0},
       "event-pipeline-",
       6,
       3 * kMinute,
       9 * kMinute},
      {"order-service",
       {"HighErrorRate", "critical", "5xx responses above 2% for 5 minutes on {host}", 0},
       "order-service-",
       5,
       4 * kMinute,
       8 * kMinute},
  };
  struct Fired {
    const Svc* svc;
    AlertSpec alert;
  };
  std::vector<Fired> fired;
  for (const auto& b : bursts) {
    auto svc = w.services.find(b.service);
    if (svc == w.services.end()) continue;
    for (int i = 0; i < b.count; ++i) {
      int64_t at = t0 + b.from + (b.to - b.from) * i / std::max(1, b.count - 1);
      std::string unit = b.unit + std::to_string(i + (b.count == 1 ? 2 : 1));
      fired.push_back({&svc->second,
                       {at + rng.Between(0, 10 * kSecond), b.kind.klass, b.kind.severity,
                        Summary(b.service, b.kind.text, unit), "prometheus", ""}});
    }
  }
  std::stable_sort(fired.begin(), fired.end(),
                   [](const Fired& a, const Fired& b) { return a.alert.at < b.alert.at; });
  size_t first = out.size();
  for (const auto& f : fired) {
    std::string key = GroupKey(f.alert.klass, f.svc->name);
    Story* into = nullptr;
    for (size_t i = first; i < out.size(); ++i) {
      if (out[i].svc == f.svc && out[i].group_key == key) into = &out[i];
    }
    if (!into) {
      for (size_t i = first; i < out.size(); ++i) {
        if (out[i].svc == f.svc && f.svc->paging.grouping_window_ms > 0 &&
            out[i].alerts[0].at >= f.alert.at - f.svc->paging.grouping_window_ms) {
          into = &out[i];
        }
      }
    }
    if (!into) {
      Story st;
      st.svc = f.svc;
      st.group_key = key;
      out.push_back(std::move(st));
      into = &out.back();
    }
    into->alerts.push_back(f.alert);
  }
  for (size_t i = first; i < out.size(); ++i) {
    Story& st = out[i];
    int64_t created = st.alerts[0].at;
    st.ack_ms = created + rng.Between(2 * kMinute, 6 * kMinute);
    st.resolve_ms = t0 + rng.Between(35 * kMinute, 50 * kMinute);
    st.resolver = st.svc->name == "kafka" && i == first ? "person" : "source";
    st.verdict = 1;
  }
}

// Open now: the SLO alerts still firing (demo_slo.h: payments-api burning its budget,
// cart's exhausted), paged when they started and acknowledged, with the dedup keys the SLO
// evaluator gives them, so a starting demo finds them paged already; and catalog-search slow for
// three minutes (triggered).
Status OpenNow(store::Tx& tx, const World& w, Rng& rng, std::vector<Story>& out) {
  PLINTH_ASSIGN_OR_RETURN(auto firing, reliability::FiringAlerts(tx));
  std::map<std::string, Story> by_slo;  // an SLO's conditions form one incident
  for (const auto& [slo, alert] : firing) {
    auto entity = catalog::Get(tx, "SLO", slo);
    if (!entity.ok()) continue;
    auto s = w.services.find(entity->doc["spec"].value("service", ""));
    if (s == w.services.end()) continue;
    Story& st = by_slo[slo];
    st.svc = &s->second;
    st.integration = server::kSloIntegration;
    st.group_key = "slo:" + slo;
    st.alerts.push_back({alert.start_ms / kSecond * kSecond, "slo " + alert.condition,
                         alert.severity == "page" ? "critical" : "warning",
                         "SLO " + slo + ": " + alert.condition +
                             (alert.detail.empty() ? "" : " (" + alert.detail + ")"),
                         "plinth SLO evaluator",
                         "slo:" + slo + ":" + alert.condition + ":" + alert.id});
  }
  for (auto& [slo, st] : by_slo) {
    std::stable_sort(st.alerts.begin(), st.alerts.end(),
                     [](const AlertSpec& a, const AlertSpec& b) { return a.at < b.at; });
    st.ack_ms = st.alerts[0].at + rng.Between(3 * kMinute, 8 * kMinute);
    if (*st.ack_ms >= w.now) st.ack_ms.reset();
    out.push_back(std::move(st));
  }
  if (auto s = w.services.find("catalog-search"); s != w.services.end()) {
    Story st;
    st.svc = &s->second;
    Kind k{"HighLatency", "error", "p99 latency above 800 ms for 10 minutes", 0};
    st.alerts.push_back(MakeAlert(s->second, k, (w.now - 3 * kMinute) / kSecond * kSecond, rng));
    st.group_key = GroupKey(k.klass, s->first);
    out.push_back(std::move(st));
  }
  return {};
}

}  // namespace

Result<std::vector<Story>> Stories(store::Tx& tx, const World& w, Rng& rng) {
  std::vector<Story> stories;
  Everyday(w, rng, stories);
  Flapping(w, rng, stories);
  NightOfPages(w, rng, stories);
  AlertStorm(w, rng, stories);
  PLINTH_RETURN_IF_ERROR(OpenNow(tx, w, rng, stories));
  std::stable_sort(stories.begin(), stories.end(),
                   [](const Story& a, const Story& b) { return a.alerts[0].at < b.alerts[0].at; });
  return stories;
}

}  // namespace plinth::cli::demo_paging
