#pragma once
// Cost anomaly detection, pure (no I/O, no clock reads): the expected daily spend of one
// monitored dimension value (e.g. ServiceName=AmazonEC2 in USD) from its own history, with a
// weekly seasonal pattern and a trend, and the anomalies where actual spend departs from it.
// Modelled on AWS Cost Anomaly Detection's output: an anomaly has a start and end day, a peak
// day, total actual and expected spend, total impact (actual - expected) and impact percent
// (impact / expected * 100, absent when expected is zero). docs/cost-anomalies.md describes
// the method, thresholds and feedback in full.
//
// Days are UTC day numbers: days since 1970-01-01 (seconds / 86400, floored).
// Thread-safety: plain values and pure functions.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"

namespace plinth::cost {

// The UTC day number of an epoch second; weekday of a day number, 0 = Monday .. 6 = Sunday.
int64_t UtcDay(int64_t seconds);
int IsoWeekday(int64_t day);
// "2026-03-01" for a day number.
std::string FormatDay(int64_t day);

enum class AnomalyDirection { kIncrease, kDecrease, kBoth };

struct AnomalyOptions {
  // A day is anomalous only when |actual - expected| exceeds BOTH thresholds and actual lies
  // outside the prediction band.
  Amount min_impact = Amount::Cents(10000);  // absolute, per day; >= 0
  double min_impact_percent = 20;            // percent of expected, per day; >= 0
  AnomalyDirection direction = AnomalyDirection::kIncrease;
  // Band half-width = band_sigmas * 1.4826 * MAD of the history's relative residuals.
  double band_sigmas = 3;
  int history_days = 56;      // trailing window the model reads; 14..364, a multiple of 7
  int min_history_days = 14;  // usable days in the window before a day is judged; 7..history_days
  // A run of anomalous days longer than this is read as a level shift: the anomaly ends and
  // its days count as ordinary history from then on. 1..history_days.
  int max_anomaly_days = 14;
  // An expected/planned feedback accepts later days up to its level for this many days.
  int feedback_horizon_days = 90;
};

// REQUIRES nothing; returns an Invalid error naming the field.
Status Validate(const AnomalyOptions& options);

enum class FeedbackKind { kExpected, kUnexpected, kPlanned };
const char* FeedbackName(FeedbackKind kind);  // "expected", "unexpected", "planned"
std::optional<FeedbackKind> ParseFeedbackKind(std::string_view name);

// A user's verdict on an anomaly of one monitored dimension value, over days [from_day, to_day].
struct AnomalyFeedback {
  std::string monitor;
  std::string dimension_value;
  int64_t from_day = 0;
  int64_t to_day = 0;  // inclusive, >= from_day
  FeedbackKind kind = FeedbackKind::kUnexpected;
};

// One currency's daily cost of one monitored dimension value; daily[i] is day first_day + i.
// Days without charges are zero, not absent.
struct CostSeries {
  std::string monitor;
  std::string dimension_value;
  std::string currency;
  int64_t first_day = 0;
  std::vector<Amount> daily;
};

enum class DayStatus {
  kUnjudged,    // not enough history yet; counts as history
  kNormal,      // within expectation; counts as history
  kAnomalous,   // part of an anomaly; excluded from later days' history
  kSuppressed,  // would be anomalous but an expected/planned feedback accepts it; history
};

// The model's view of one day (for the console chart). Amounts are rounded to cents.
struct DayExpectation {
  int64_t day = 0;
  Amount actual;
  std::optional<Amount> expected;  // absent while unjudged
  std::optional<Amount> lower;     // prediction band, lower clamped at 0
  std::optional<Amount> upper;
  DayStatus status = DayStatus::kUnjudged;
};

// Consecutive days of the same non-normal status and direction merged into one anomaly.
struct Anomaly {
  int64_t start_day = 0;
  int64_t end_day = 0;   // inclusive
  int64_t peak_day = 0;  // the day with the largest |actual - expected| (the first on ties)
  bool increase = true;
  Amount actual;                         // sum over the days
  Amount expected;                       // sum over the days
  Amount impact;                         // actual - expected
  Amount max_impact;                     // the peak day's actual - expected
  std::optional<double> impact_percent;  // impact / expected * 100; absent when expected is 0
  // Suppressed by an expected/planned feedback (no alert); `feedback` is the kind of the
  // feedback whose range overlaps the anomaly, if any (the latest such record).
  bool suppressed = false;
  std::optional<FeedbackKind> feedback;
  bool open = false;  // reaches the series' last day, so it may still grow
};

struct DetectionResult {
  std::vector<DayExpectation> days;  // one per day of the series
  std::vector<Anomaly> anomalies;    // by start day
};

// Judges every day of `series` from the days before it. Feedback records for other monitors or
// dimension values are ignored. Errors: invalid options, or a feedback range with to < from.
Result<DetectionResult> DetectAnomalies(const CostSeries& series,
                                        std::span<const AnomalyFeedback> feedback,
                                        const AnomalyOptions& options = {});

}  // namespace plinth::cost
