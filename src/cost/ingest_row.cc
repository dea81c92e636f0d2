#include "cost/ingest_row.h"

#include "base/time.h"

namespace plinth::cost {
namespace {

constexpr size_t kTags = FocusIndex("Tags");
constexpr size_t kBillingCurrency = FocusIndex("BillingCurrency");
constexpr size_t kBillingPeriodStart = FocusIndex("BillingPeriodStart");
constexpr size_t kBillingPeriodEnd = FocusIndex("BillingPeriodEnd");
constexpr size_t kChargePeriodStart = FocusIndex("ChargePeriodStart");
constexpr size_t kChargePeriodEnd = FocusIndex("ChargePeriodEnd");

// Columns every row needs: the partition key, the currency, the periods and the invoiced cost.
constexpr size_t kRequired[] = {FocusIndex("BillingAccountId"),
                                kBillingCurrency,
                                kBillingPeriodStart,
                                kBillingPeriodEnd,
                                kChargePeriodStart,
                                kChargePeriodEnd,
                                FocusIndex("BilledCost")};

std::string Timestamp(int64_t seconds) { return FormatRfc3339(seconds * 1000); }

std::string Quoted(std::string_view text) {
  return "\"" + std::string(text.substr(0, 60)) + (text.size() > 60 ? "…" : "") + "\"";
}

std::string Rows(int64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

// At most 18 digits fit an int64 mantissa whatever they are.
constexpr int kPlainDigits = 18;

bool IsLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

bool ParsePlainDecimal(std::string_view text, Decimal* out) {
  size_t i = 0;
  bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  uint64_t mantissa = 0;
  int digits = 0, scale = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (++digits > kPlainDigits) return false;
      mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
      scale += point;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  while (scale > 0 && mantissa % 10 == 0) {
    mantissa /= 10;
    --scale;
  }
  if (mantissa == 0) scale = 0;
  auto m = static_cast<int64_t>(mantissa);
  *out = Decimal{negative ? -m : m, scale};
  return true;
}

RowParser::RowParser(std::vector<ColumnSpec> columns, std::vector<std::string> labels)
    : columns_(std::move(columns)), labels_(std::move(labels)) {
  if (labels_.empty()) {
    for (const ColumnSpec& c : columns_) labels_.push_back(c.name);
  }
  cells_.resize(columns_.size());
  last_time_text_.resize(columns_.size());
  last_time_.resize(columns_.size(), kNullTime);
  recased_.resize(kFocusColumns.size());
  not_allowed_.resize(kFocusColumns.size());
}

bool RowParser::Reject(size_t column, const std::string& message, std::string* reason) const {
  *reason = labels_[column] + ": " + message;
  return false;
}

bool RowParser::Parse(std::span<const std::string_view> values, int64_t line, std::string* reason) {
  for (size_t c = 0; c < columns_.size(); ++c) {
    Cell& cell = cells_[c];
    std::string_view v = values[c];
    if (IsNullText(v)) {
      cell = Cell();
      continue;
    }
    cell.null = false;
    switch (columns_[c].type) {
      case ColumnType::kDecimal: {
        if (ParsePlainDecimal(v, &cell.decimal)) break;
        auto d = ParseDecimal(v);
        if (!d.ok()) return Reject(c, d.error().message, reason);
        cell.decimal = *d;
        break;
      }
      case ColumnType::kTime: {
        std::string& last = last_time_text_[c];
        if (v == last) {  // periods repeat from row to row
          cell.time = last_time_[c];
          break;
        }
        auto t = ParseFocusTimestamp(v);
        if (!t.ok()) return Reject(c, t.error().message, reason);
        cell.time = last_time_[c] = *t;
        last.assign(v);
        break;
      }
      case ColumnType::kString: {
        cell.text = v;
        if (c >= kFocusColumns.size()) break;
        const FocusColumn& focus = kFocusColumns[c];
        if (!focus.allowed.empty()) {
          std::string_view canonical = CanonicalAllowedValue(focus, v);
          ValueNote* note = nullptr;
          if (canonical.empty()) {
            note = &not_allowed_[c];
            if (note->count == 0) note->first = Quoted(v);
          } else if (canonical != v) {
            note = &recased_[c];
            if (note->count == 0) note->first = Quoted(v) + " -> " + Quoted(canonical);
            cell.text = canonical;
          }
          if (note && note->count++ == 0) note->first_line = line;
        } else if (c == kTags) {
          auto tags = tags_.Canonical(v);
          if (!tags.ok()) return Reject(c, tags.error().message, reason);
          cell.text = *tags;
          cell.null = tags->empty();
        } else if (c == kBillingCurrency) {
          if (v.size() != 3 || !IsLetter(v[0]) || !IsLetter(v[1]) || !IsLetter(v[2])) {
            return Reject(c, "expected a currency code like USD, got " + Quoted(v), reason);
          }
          for (size_t i = 0; i < 3; ++i) currency_[i] = static_cast<char>(v[i] & ~0x20);
          cell.text = std::string_view(currency_, 3);
        }
        break;
      }
    }
  }
  for (size_t c : kRequired) {
    if (cells_[c].null) return Reject(c, "must not be NULL", reason);
  }
  int64_t billing_start = cells_[kBillingPeriodStart].time;
  int64_t billing_end = cells_[kBillingPeriodEnd].time;
  if (billing_start >= billing_end) {
    return Reject(
        kBillingPeriodStart,
        Timestamp(billing_start) + " is not before BillingPeriodEnd " + Timestamp(billing_end),
        reason);
  }
  if (cells_[kChargePeriodStart].time > cells_[kChargePeriodEnd].time) {
    return Reject(kChargePeriodStart,
                  Timestamp(cells_[kChargePeriodStart].time) + " is after ChargePeriodEnd " +
                      Timestamp(cells_[kChargePeriodEnd].time),
                  reason);
  }
  return true;
}

void RowParser::Write(SegmentBuilder& builder) const {
  for (size_t c = 0; c < columns_.size(); ++c) {
    const Cell& cell = cells_[c];
    if (cell.null) {
      builder.SetNull(c);
      continue;
    }
    switch (columns_[c].type) {
      case ColumnType::kString:
        builder.SetString(c, cell.text);
        break;
      case ColumnType::kDecimal:
        builder.SetDecimal(c, cell.decimal);
        break;
      case ColumnType::kTime:
        builder.SetTime(c, cell.time);
        break;
    }
  }
  builder.EndRow();
}

std::vector<std::string> RowParser::Notes(const std::string& path) const {
  std::vector<std::string> notes;
  for (size_t c = 0; c < kFocusColumns.size(); ++c) {
    const ValueNote& recased = recased_[c];
    if (recased.count > 0) {
      notes.push_back(path + ": " + std::string(kFocusColumns[c].name) +
                      ": normalised to the FOCUS casing in " + Rows(recased.count) + " (first " +
                      recased.first + " at line " + std::to_string(recased.first_line) + ")");
    }
    const ValueNote& other = not_allowed_[c];
    if (other.count > 0) {
      notes.push_back(path + ": " + std::string(kFocusColumns[c].name) +
                      ": not a FOCUS allowed value in " + Rows(other.count) +
                      ", kept as written (first " + other.first + " at line " +
                      std::to_string(other.first_line) + ")");
    }
  }
  return notes;
}

}  // namespace plinth::cost
