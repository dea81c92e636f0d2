#pragma once
// Internal to the catalog: converting OpenSLO v1 documents (apiVersion openslo/v1) into plinth/v1
// documents, for LoadManifests. Every OpenSLO kind is accepted; what plinth has no place for is
// reported as a note, never silently dropped.
//
//   SLO         -> SLO, one per objective (named NAME, or NAME-<objective> when there are
//                  several): target -> objective; timeWindow -> window (rolling duration, or a
//                  calendar period with its startTime and timeZone); budgetingMethod and
//                  timeSliceTarget/timeSliceWindow -> budgetingMethod and timeslice;
//                  indicator (inline, or indicatorRef to an SLI of the same load) -> indicator;
//                  service -> service (a catalog service that must exist);
//                  metricSourceRef -> dataSource (default: the data source "prometheus").
//   SLI         -> used by the SLOs that refer to it (a note when none does).
//   DataSource  -> DataSource when its type is Prometheus (url from connectionDetails);
//                  others are notes.
//   Service, AlertPolicy, AlertCondition, AlertNotificationTarget -> notes: plinth's services
//                  are catalog services (with owners), and its SLO alerts are multiwindow
//                  burn-rate alerts.
// Indicators: a Prometheus ratioMetric with counter: true becomes a ratio of rates
// (sum(rate((QUERY)[{{.window}}:])) for each of good/bad and total); everything plinth cannot
// query itself (other metric sources, thresholdMetric, raw ratios) becomes a pushed indicator,
// with a note, so the SLO still works from data pushed over the API or imported from CSV.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/backstage.h"

namespace plinth::catalog {

inline constexpr std::string_view kOpensloApiVersion = "openslo/v1";

// Collects OpenSLO documents, then converts them (SLOs refer to SLIs and data sources in other
// documents). Borrows `errors` and `notes`, which must outlive it.
class OpensloImporter {
 public:
  OpensloImporter(std::vector<SourceError>& errors, std::vector<SourceNote>& notes)
      : errors_(errors), notes_(notes) {}
  OpensloImporter(const OpensloImporter&) = delete;
  OpensloImporter& operator=(const OpensloImporter&) = delete;

  void Add(LoadedDoc doc, size_t order);

  // plinth/v1 documents (not yet validated), each with its `order` and a line map that points
  // into the OpenSLO source, to be validated like documents written in plinth's own form.
  std::vector<std::pair<size_t, LoadedDoc>> Finish();

 private:
  struct Source {
    size_t order = 0;
    LoadedDoc doc;
  };
  void Note(const LoadedDoc& d, const std::string& pointer, const std::string& text);
  void Fail(const LoadedDoc& d, const std::string& pointer, const std::string& message);
  void ConvertSlo(const Source& s, std::vector<std::pair<size_t, LoadedDoc>>& out);
  // The plinth indicator of an OpenSLO SLI spec at `pointer` of `d`; sets *data_source.
  Json Indicator(const LoadedDoc& d, const std::string& pointer, const Json& sli,
                 std::string* data_source);

  std::vector<SourceError>& errors_;
  std::vector<SourceNote>& notes_;
  std::vector<Source> docs_;
  std::map<std::string, const Source*> slis_;  // by name
  std::map<std::string, bool> sli_used_;
};

}  // namespace plinth::catalog
