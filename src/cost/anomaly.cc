#include "cost/anomaly.h"

#include <date/date.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace plinth::cost {
namespace {

// Rounds a double amount to cents (model output; never NaN or infinite here).
Amount ToCents(double x) { return Amount::Cents(std::llround(x * 100)); }

// The median of `v` (reordered); REQUIRES !v.empty(). Most calls are on 7-28 values, where an
// insertion sort beats nth_element several times over.
double Median(std::vector<double>& v) {
  const size_t n = v.size(), mid = n / 2;
  if (n <= 32) {
    for (size_t a = 1; a < n; ++a) {
      const double x = v[a];
      size_t b = a;
      for (; b > 0 && v[b - 1] > x; --b) v[b] = v[b - 1];
      v[b] = x;
    }
    return n % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  const double upper = v[mid];
  if (n % 2 == 1) return upper;
  return (*std::max_element(v.begin(), v.begin() + mid) + upper) / 2;
}

// The model's expectation for one day.
struct Fit {
  double expected = 0;  // >= 0
  double sigma = 0;     // robust standard deviation of the relative residuals
  double season = 0;    // the day's weekday factor (mean over weekdays = 1); 0 when degenerate
};

// Fits weekday factors, a level and a trend to the usable days of the trailing window
// (docs/cost-anomalies.md, "Expected spend"). Scratch buffers are reused across days.
class DailyModel {
 public:
  DailyModel(int history_days, int min_history_days)
      : history_days_(history_days), min_history_days_(min_history_days) {}

  // Forgets the previous day's trend line (the history before day i changed).
  void Restart() { trend_valid_ = false; }

  // The expectation for day index i of `y` from the days t < i with history[t] set, or
  // nullopt when the window holds fewer than min_history_days of them.
  std::optional<Fit> FitAt(const std::vector<double>& y, const std::vector<char>& history, size_t i,
                           int first_weekday) {
    y_ = &y;
    history_ = &history;
    i_ = i;
    lo_ = i > static_cast<size_t>(history_days_) ? i - history_days_ : 0;
    first_weekday_ = first_weekday;
    size_t usable = 0;
    for (size_t t = lo_; t < i; ++t) usable += history[t] ? 1 : 0;
    if (usable < static_cast<size_t>(min_history_days_)) return std::nullopt;

    // Weekday factors from the values over the trend line, which removes the trend's bias
    // between weekdays whose samples are of different ages. The line is the previous day's
    // when that day was fitted (it moves little from one day to the next); otherwise a first
    // fit on factors from the raw values provides it.
    const bool continues = trend_valid_ && trend_day_ + 1 == i;
    trend_valid_ = false;
    if (!continues) {
      for (int w = 0; w < 7; ++w) season_[w] = 1;
      if (!Seasonal(false) || !LevelTrend()) return Fit{};
    }
    if (!Seasonal(true) || !LevelTrend()) return Fit{};
    trend_valid_ = true;
    trend_day_ = i;

    // Band: the robust spread (1.4826 * MAD) of the in-window relative residuals.
    z_.clear();
    for (size_t t = lo_; t < i; ++t) {
      if (!history[t]) continue;
      const double f = S(t) * Trend(t);
      if (f > 0) z_.push_back(y[t] / f - 1);
    }
    double sigma = 0;
    if (!z_.empty()) {
      const double center = Median(z_);
      for (double& e : z_) e = std::fabs(e - center);
      sigma = 1.4826 * Median(z_);
    }
    return Fit{std::max(0.0, S(i) * Trend(i)), sigma, S(i)};
  }

 private:
  double S(size_t t) const { return season_[(first_weekday_ + t) % 7]; }
  double Trend(size_t t) const { return level_ + slope_ * (static_cast<double>(t) - t_level_); }

  // Weekday factors: each weekday's median of y (or of y over the trend), scaled to a mean of 1
  // over the weekdays present; a weekday without samples keeps its factor. False when the
  // medians are not positive on average (a zero series).
  bool Seasonal(bool over_trend) {
    for (auto& w : by_weekday_) w.clear();
    for (size_t t = lo_; t < i_; ++t) {
      if (!(*history_)[t]) continue;
      const double base = over_trend ? Trend(t) : 1;
      if (base > 0) by_weekday_[(first_weekday_ + t) % 7].push_back((*y_)[t] / base);
    }
    double med[7], sum = 0;
    int present = 0;
    for (int w = 0; w < 7; ++w) {
      if (by_weekday_[w].empty()) continue;
      med[w] = Median(by_weekday_[w]);
      sum += med[w];
      ++present;
    }
    if (present == 0 || !(sum > 0)) return false;
    const double mean = sum / present;
    for (int w = 0; w < 7; ++w) {
      if (!by_weekday_[w].empty()) season_[w] = med[w] / mean;
    }
    return true;
  }

  // Level: the median deseasonalised value of the latest 14 usable days, at their mean time.
  // Trend: the Theil-Sen slope through the weekly medians of the deseasonalised values (weeks
  // counted back from day i, each with at least 3 usable days); 0 with fewer than 2 weeks.
  bool LevelTrend() {
    const std::vector<double>& y = *y_;
    const std::vector<char>& history = *history_;
    z_.clear();
    double t_sum = 0;
    for (size_t t = i_; t-- > lo_ && z_.size() < 14;) {
      if (!history[t] || !(S(t) > 0)) continue;
      z_.push_back(y[t] / S(t));
      t_sum += static_cast<double>(t);
    }
    if (z_.empty()) return false;
    t_level_ = t_sum / static_cast<double>(z_.size());
    level_ = Median(z_);

    week_t_.clear();
    week_z_.clear();
    for (size_t end = i_; end > lo_; end = end >= lo_ + 7 ? end - 7 : lo_) {
      z_.clear();
      double ts = 0;
      for (size_t t = end >= lo_ + 7 ? end - 7 : lo_; t < end; ++t) {
        if (!history[t] || !(S(t) > 0)) continue;
        z_.push_back(y[t] / S(t));
        ts += static_cast<double>(t);
      }
      if (z_.size() < 3) continue;
      week_t_.push_back(ts / static_cast<double>(z_.size()));
      week_z_.push_back(Median(z_));
    }
    slope_ = 0;
    if (week_t_.size() >= 2) {
      z_.clear();
      for (size_t a = 0; a < week_t_.size(); ++a) {
        for (size_t b = a + 1; b < week_t_.size(); ++b) {
          z_.push_back((week_z_[b] - week_z_[a]) / (week_t_[b] - week_t_[a]));
        }
      }
      slope_ = Median(z_);
    }
    return true;
  }

  // Constant after construction
  const int history_days_;
  const int min_history_days_;
  // The day being fitted
  const std::vector<double>* y_ = nullptr;
  const std::vector<char>* history_ = nullptr;
  size_t i_ = 0, lo_ = 0;
  int first_weekday_ = 0;
  double season_[7] = {};
  double level_ = 0, t_level_ = 0, slope_ = 0;
  bool trend_valid_ = false;  // level_, t_level_ and slope_ are day trend_day_'s fit
  size_t trend_day_ = 0;
  // Scratch
  std::vector<double> by_weekday_[7];
  std::vector<double> z_, week_t_, week_z_;
};

// The per-record state of an expected/planned feedback: the extreme deseasonalised actual over
// the range's judged days, the level later days are accepted up to.
struct Acceptance {
  const AnomalyFeedback* record;
  double max_level = -HUGE_VAL;
  double min_level = HUGE_VAL;
};

bool Accepts(FeedbackKind kind) { return kind != FeedbackKind::kUnexpected; }

// Whether `actual` departs from `reference` in `direction` (+1 up, -1 down) beyond both
// thresholds and the band reference * (1 +- width).
bool Departs(Amount actual, double reference, double width, int direction,
             const AnomalyOptions& o) {
  Amount ref = ToCents(reference);
  Amount impact = actual - ref;
  if (direction < 0) impact = -impact;
  if (impact <= o.min_impact) return false;
  if (impact.ToDouble() <= o.min_impact_percent / 100 * ref.ToDouble()) return false;
  Amount edge = ToCents(std::max(0.0, reference * (1 + direction * width)));
  return direction > 0 ? actual > edge : actual < edge;
}

}  // namespace

int64_t UtcDay(int64_t seconds) {
  return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

int IsoWeekday(int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

std::string FormatDay(int64_t day) {
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Status Validate(const AnomalyOptions& o) {
  if (o.min_impact < Amount()) return Error::Invalid("min_impact: must be >= 0");
  if (!(o.min_impact_percent >= 0) || !std::isfinite(o.min_impact_percent)) {
    return Error::Invalid("min_impact_percent: must be a finite number >= 0");
  }
  if (!(o.band_sigmas >= 0) || !std::isfinite(o.band_sigmas)) {
    return Error::Invalid("band_sigmas: must be a finite number >= 0");
  }
  if (o.history_days < 14 || o.history_days > 364 || o.history_days % 7 != 0) {
    return Error::Invalid("history_days: must be a multiple of 7 in 14..364");
  }
  if (o.min_history_days < 7 || o.min_history_days > o.history_days) {
    return Error::Invalid("min_history_days: must be in 7..history_days");
  }
  if (o.max_anomaly_days < 1 || o.max_anomaly_days > o.history_days) {
    return Error::Invalid("max_anomaly_days: must be in 1..history_days");
  }
  if (o.feedback_horizon_days < 0) return Error::Invalid("feedback_horizon_days: must be >= 0");
  return {};
}

const char* FeedbackName(FeedbackKind kind) {
  switch (kind) {
    case FeedbackKind::kExpected:
      return "expected";
    case FeedbackKind::kUnexpected:
      return "unexpected";
    case FeedbackKind::kPlanned:
      return "planned";
  }
  return "unexpected";
}

std::optional<FeedbackKind> ParseFeedbackKind(std::string_view name) {
  for (FeedbackKind k :
       {FeedbackKind::kExpected, FeedbackKind::kUnexpected, FeedbackKind::kPlanned}) {
    if (name == FeedbackName(k)) return k;
  }
  return std::nullopt;
}

Result<DetectionResult> DetectAnomalies(const CostSeries& series,
                                        std::span<const AnomalyFeedback> feedback,
                                        const AnomalyOptions& options) {
  PLINTH_RETURN_IF_ERROR(Validate(options));
  std::vector<Acceptance> records;
  for (const AnomalyFeedback& f : feedback) {
    if (f.monitor != series.monitor || f.dimension_value != series.dimension_value) continue;
    if (f.to_day < f.from_day) {
      return Error::Invalid("feedback for " + f.dimension_value + ": to_day " +
                            FormatDay(f.to_day) + " is before from_day " + FormatDay(f.from_day));
    }
    records.push_back({&f});
  }

  const size_t n = series.daily.size();
  const bool up = options.direction != AnomalyDirection::kDecrease;
  const bool down = options.direction != AnomalyDirection::kIncrease;
  DailyModel model(options.history_days, options.min_history_days);
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) y[i] = series.daily[i].ToDouble();
  std::vector<char> history(n, 1);  // counts as history for later days
  std::vector<char> new_run(n, 0);  // an anomaly starts here even after an anomalous day
  std::vector<int> sign(n, 0);      // +1 above, -1 below expectation (non-normal days)
  DetectionResult out;
  out.days.resize(n);
  size_t run = 0;  // consecutive anomalous days before i since the last break

  for (size_t i = 0; i < n; ++i) {
    const int64_t day = series.first_day + static_cast<int64_t>(i);
    DayExpectation& de = out.days[i];
    de.day = day;
    de.actual = series.daily[i];
    if (run >= static_cast<size_t>(options.max_anomaly_days)) {
      // A level shift: the model restarts from the run's days, the new normal; the days
      // before it would bend the trend towards the old level.
      const size_t window_start =
          i > static_cast<size_t>(options.history_days) ? i - options.history_days : 0;
      for (size_t k = window_start; k < i - run; ++k) history[k] = 0;
      for (size_t k = i - run; k < i; ++k) history[k] = 1;
      model.Restart();
      new_run[i] = 1;
      run = 0;
    }
    std::optional<Fit> fit = model.FitAt(y, history, i, IsoWeekday(series.first_day));
    if (!fit) {
      de.status = DayStatus::kUnjudged;
      run = 0;
      continue;
    }
    const double expected = fit->expected;
    const double width = options.band_sigmas * fit->sigma;
    de.expected = ToCents(expected);
    de.lower = ToCents(std::max(0.0, expected * (1 - width)));
    de.upper = ToCents(expected * (1 + width));

    // The feedback that covers this day (the last record wins) and accepted levels from
    // expected/planned records whose range has ended within the horizon.
    const AnomalyFeedback* covering = nullptr;
    double accept_up = expected, accept_down = expected;
    for (Acceptance& a : records) {
      const AnomalyFeedback& f = *a.record;
      if (day >= f.from_day && day <= f.to_day) {
        covering = &f;
        if (Accepts(f.kind) && fit->season > 0) {
          a.max_level = std::max(a.max_level, y[i] / fit->season);
          a.min_level = std::min(a.min_level, y[i] / fit->season);
        }
      } else if (Accepts(f.kind) && day > f.to_day &&
                 day - f.to_day <= options.feedback_horizon_days && a.max_level > -HUGE_VAL) {
        accept_up = std::max(accept_up, a.max_level * fit->season);
        accept_down = std::min(accept_down, a.min_level * fit->season);
      }
    }

    int dir = 0;
    if (up && Departs(de.actual, expected, width, +1, options)) dir = +1;
    if (down && Departs(de.actual, expected, width, -1, options)) dir = -1;
    if (dir == 0) {
      de.status = DayStatus::kNormal;
      run = 0;
      continue;
    }
    sign[i] = dir;
    // A day covered by feedback follows it; otherwise a repeat within an accepted level is
    // suppressed too.
    const bool accepted = covering  ? Accepts(covering->kind)
                          : dir > 0 ? !Departs(de.actual, accept_up, width, +1, options)
                                    : !Departs(de.actual, accept_down, width, -1, options);
    if (accepted) {
      de.status = DayStatus::kSuppressed;
      run = 0;
      continue;
    }
    de.status = DayStatus::kAnomalous;
    history[i] = 0;
    run = new_run[i] ? 1 : run + 1;
  }

  // Merge consecutive days of one status and direction into anomalies.
  for (size_t i = 0; i < n;) {
    const DayStatus st = out.days[i].status;
    if (st != DayStatus::kAnomalous && st != DayStatus::kSuppressed) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && out.days[j].status == st && sign[j] == sign[i] && !new_run[j]) ++j;
    Anomaly a;
    a.start_day = out.days[i].day;
    a.end_day = out.days[j - 1].day;
    a.increase = sign[i] > 0;
    a.suppressed = st == DayStatus::kSuppressed;
    a.open = j == n;
    Amount peak_abs;
    for (size_t k = i; k < j; ++k) {
      const Amount impact = out.days[k].actual - *out.days[k].expected;
      const Amount abs = impact < Amount() ? -impact : impact;
      a.actual += out.days[k].actual;
      a.expected += *out.days[k].expected;
      if (k == i || abs > peak_abs) {
        peak_abs = abs;
        a.peak_day = out.days[k].day;
        a.max_impact = impact;
      }
    }
    a.impact = a.actual - a.expected;
    if (!a.expected.is_zero()) a.impact_percent = a.impact.ToDouble() / a.expected.ToDouble() * 100;
    for (const Acceptance& r : records) {
      if (r.record->from_day <= a.end_day && r.record->to_day >= a.start_day) {
        a.feedback = r.record->kind;
      }
    }
    out.anomalies.push_back(a);
    i = j;
  }
  return out;
}

}  // namespace plinth::cost
