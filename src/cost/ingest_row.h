#pragma once
// One billing line item, from text to typed and validated values, the same for every input
// format: a FOCUS file hands over its fields, a CUR 2.0 file the FOCUS values it mapped.
// Tolerant where exports differ (NULL literals, timestamp forms, the casing of enumerated values,
// Tags layout) and strict where money is concerned (exact decimals, a currency on every row,
// ordered periods). Internal to ingest.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cost/decimal.h"
#include "cost/focus_schema.h"
#include "cost/segment.h"

namespace plinth::cost {

// The common form of a decimal, "-123.4500" (an optional minus, digits, an optional point; at
// most 18 digits), parsed without 128-bit arithmetic: the same Decimal as ParseDecimal. false
// when the text needs ParseDecimal (exponent, plus sign, more digits) or is not a number.
bool ParsePlainDecimal(std::string_view text, Decimal* out);

class RowParser {
 public:
  // `columns` start with kFocusColumns (FocusSegmentColumns()); `labels` name each column in
  // rejection reasons (empty: the column names).
  RowParser(std::vector<ColumnSpec> columns, std::vector<std::string> labels);

  // Parses one row: `values` has one text per column ("" and "NULL" are NULL). false: the row is
  // rejected and `reason` says why, starting with the column ("BilledCost: expected a decimal
  // number, got \"abc\""). `line` is only remembered for notes.
  bool Parse(std::span<const std::string_view> values, int64_t line, std::string* reason);

  // Sets the last parsed row's values in `builder` and ends the row. REQUIRES: Parse returned
  // true; builder.columns() == the columns given to the constructor.
  void Write(SegmentBuilder& builder) const;

  // Values of the last parsed row. NULL decimals are 0.
  std::string_view text(size_t column) const { return cells_[column].text; }
  int64_t time(size_t column) const { return cells_[column].time; }
  Amount amount(size_t column) const {
    return cells_[column].null ? Amount() : Amount::FromDecimal(cells_[column].decimal);
  }

  // What tolerance changed or let through, per column over all rows: values rewritten to the
  // spec's casing, values outside the allowed ones. One sentence each, prefixed with `path`.
  std::vector<std::string> Notes(const std::string& path) const;

 private:
  struct Cell {
    std::string_view text;  // normalised; "" when NULL
    Decimal decimal;
    int64_t time = kNullTime;
    bool null = true;
  };
  struct ValueNote {
    int64_t count = 0;
    std::string first;  // `from` -> `to`, or the first value outside the allowed ones
    int64_t first_line = 0;
  };
  bool Reject(size_t column, const std::string& message, std::string* reason) const;

  // Constant after construction
  std::vector<ColumnSpec> columns_;
  std::vector<std::string> labels_;

  std::vector<Cell> cells_;
  std::vector<ValueNote> recased_;  // per FOCUS column with allowed values
  std::vector<ValueNote> not_allowed_;
  std::vector<std::string> last_time_text_;  // per time column, the last text parsed
  std::vector<int64_t> last_time_;           // and its value
  TagCanonicalizer tags_;
  char currency_[3] = {};
};

}  // namespace plinth::cost
