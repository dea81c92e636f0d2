#include "reliability/csv_import.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "base/time.h"
#include "catalog/repository.h"
#include "reliability/sli_store.h"
#include "slo/window.h"

namespace plinth::reliability {

namespace {

constexpr size_t kBatch = 5000;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    out.push_back(Trim(line.substr(start, comma == std::string_view::npos ? line.npos
                                                                          : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<double> Number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

Result<int64_t> Timestamp(std::string_view s) {
  bool digits = !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits && s.size() <= 12) {
    int64_t secs = 0;
    std::from_chars(s.data(), s.data() + s.size(), secs);
    return secs * 1000;
  }
  auto t = ParseRfc3339(s);
  if (!t.ok()) {
    return Error::Invalid("timestamp: expected RFC 3339 (2026-11-22T10:00:00Z) or epoch seconds, "
                          "got \"" + std::string(s) + "\"");
  }
  return *t;
}

}  // namespace

Result<ImportResult> ImportCsv(store::Store& store, std::string_view slo, std::istream& in,
                               std::string_view file, const ImportProgress& progress,
                               int64_t progress_every) {
  const std::string where(file);
  return store.Write([&](store::Tx& tx) -> Result<ImportResult> {
    PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "SLO", slo));
    ImportResult r;
    std::vector<slo::MinutePoint> batch;
    batch.reserve(kBatch);
    auto flush = [&]() -> Status {
      if (batch.empty()) return {};
      PLINTH_ASSIGN_OR_RETURN(auto w, WriteMinutes(tx, slo, batch));
      r.written += w.written;
      r.version = w.version;
      batch.clear();
      return {};
    };
    std::string line;
    int64_t lineno = 0;
    bool header = false;
    while (std::getline(in, line)) {
      ++lineno;
      std::string_view text = line;
      if (lineno == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
      if (Trim(text).empty()) continue;
      auto at = [&](const std::string& msg) {
        return Error::Invalid(where + ":" + std::to_string(lineno) + ": " + msg);
      };
      auto cols = Split(text);
      if (!header) {
        if (cols.size() != 3 || cols[0] != "timestamp" || cols[1] != "good" || cols[2] != "total") {
          return at("expected the header \"timestamp,good,total\", got \"" +
                    std::string(Trim(text)) + "\"");
        }
        header = true;
        continue;
      }
      if (cols.size() != 3) {
        return at("expected 3 columns (timestamp,good,total), got " + std::to_string(cols.size()));
      }
      auto ts = Timestamp(cols[0]);
      if (!ts.ok()) return at(ts.error().message);
      if (*ts % slo::kMinuteMs != 0) {
        return at("timestamp: " + std::string(cols[0]) + " is not the start of a minute");
      }
      slo::MinutePoint p{*ts / slo::kMinuteMs, 0, 0};
      auto good = Number(cols[1]);
      if (!good || !std::isfinite(*good) || *good < 0) {
        return at("good: expected a count (a number >= 0), got \"" + std::string(cols[1]) + "\"");
      }
      auto total = Number(cols[2]);
      if (!total || !std::isfinite(*total) || *total < 0) {
        return at("total: expected a count (a number >= 0), got \"" + std::string(cols[2]) + "\"");
      }
      if (*good > *total) {
        return at("good: must not exceed total (" + std::string(cols[1]) + " > " +
                  std::string(cols[2]) + ")");
      }
      p.good = *good;
      p.total = *total;
      batch.push_back(p);
      ++r.rows;
      if (progress && progress_every > 0 && r.rows % progress_every == 0) progress(r.rows);
      if (batch.size() >= kBatch) PLINTH_RETURN_IF_ERROR(flush());
    }
    if (in.bad()) return Error::Invalid(where + ": read error");
    if (!header) return Error::Invalid(where + ":1: expected the header \"timestamp,good,total\"");
    PLINTH_RETURN_IF_ERROR(flush());
    return r;
  });
}

}  // namespace plinth::reliability
