#pragma once
// Reading Sloth's input formats into the rule generator's model (slo/rules.h):
//   - `version: prometheus/v1` (Sloth's own spec; snake_case fields),
//   - `apiVersion: sloth.slok.dev/v1`, `kind: PrometheusServiceLevel` (its Kubernetes CRD; the
//     same fields in camelCase under `spec`; rules come out as a PrometheusRule),
//   - `apiVersion: openslo/v1alpha`, `kind: SLO` (ratio objectives only; one SLO per
//     objective, named <name>-<index>, no alerts, period from timeWindows in days),
//   - `apiVersion: sloth.slok.dev/v1`, `kind: AlertWindows` (a windows catalog entry).
// A file may hold several documents ("---"). Unlike Sloth, unknown fields are errors (a typo
// must not silently drop a label), and so are Sloth's plugins, which plinth does not run.
// Errors are kInvalid with one FieldError per problem: location "file:line", pointer to the
// field, e.g. "slos.yaml:7: slos[0].objective: must be > 0 and <= 100, got 120".
//
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "slo/rules.h"

namespace plinth::slo {

// One document of a Sloth input file.
struct SlothDocument {
  std::vector<RuleSlo> slos;  // in file order; period_ms 0 unless the document states one
  // Set for a PrometheusServiceLevel: its metadata, for the PrometheusRule written from it.
  std::optional<K8sObjectMeta> prometheus_rule;
};

// Every document of a prometheus/v1, PrometheusServiceLevel or OpenSLO file.
Result<std::vector<SlothDocument>> ParseSloth(std::string_view text, std::string_view file);

// An AlertWindows document (Sloth's --slo-period-windows-path files).
Result<RuleAlertWindows> ParseAlertWindows(std::string_view text, std::string_view file);

// `sloth generate -i file`: ParseSloth, then GenerateRules per document (a PrometheusServiceLevel
// with options.prometheus_rule set from it), the outputs concatenated as Sloth writes them.
Result<std::string> GenerateFromSloth(std::string_view text, std::string_view file,
                                      const RuleOptions& options);

}  // namespace plinth::slo
