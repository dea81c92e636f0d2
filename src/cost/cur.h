#pragma once
// AWS Cost and Usage Report 2.0 (Data Exports, CSV) rows mapped to FOCUS columns, so a CUR 2.0
// export imports into the same segments as a FOCUS file. The mapping table is in
// docs/cost-formats.md; the AWS specific columns most often grouped by are kept as x_ columns.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/focus_schema.h"
#include "cost/segment.h"

namespace plinth::cost {

// True when the header is a CUR 2.0 export: it has bill_* and line_item_* columns.
bool IsCurHeader(std::span<const std::string_view> header);

class CurMapper {
 public:
  // Resolves the header's columns. Error (naming the file and line 1): a column the mapping
  // cannot do without is missing ("FILE:1: missing AWS CUR 2.0 columns: line_item_unblended_cost").
  static Result<CurMapper> Create(std::span<const std::string_view> header,
                                  const std::string& path);

  // The segment columns: every FOCUS column, then the x_ columns this header can fill.
  const std::vector<ColumnSpec>& columns() const { return columns_; }
  // Per column, the name used in rejection reasons: "BilledCost (line_item_unblended_cost)".
  const std::vector<std::string>& labels() const { return labels_; }

  // Fills `values` (one per column; "" is NULL) from one CUR record with as many fields as the
  // header. The views point into `fields` or into this mapper, valid until the next call.
  // false: the row is rejected and `reason` names the column.
  bool Map(std::span<const std::string_view> fields, std::span<std::string_view> values,
           std::string* reason);

  // Line item types the mapping does not know, mapped to ChargeCategory "Adjustment".
  const std::vector<std::string>& unknown_line_item_types() const { return unknown_types_; }

 private:
  CurMapper() = default;
  std::string_view Field(std::span<const std::string_view> fields, int source) const {
    return source >= 0 ? fields[static_cast<size_t>(source)] : std::string_view();
  }
  bool EffectiveCost(std::span<const std::string_view> fields, std::string_view type,
                     std::string_view* out, std::string* reason);

  // Constant after Create
  std::vector<ColumnSpec> columns_;
  std::vector<std::string> labels_;
  std::vector<std::pair<size_t, int>> renames_;  // (column, CUR field) copied as they are
  std::vector<std::pair<size_t, int>> extras_;   // x_ columns copied as they are
  int line_item_type_ = -1, unblended_cost_ = -1, usage_amount_ = -1, pricing_unit_ = -1;
  int pricing_term_ = -1, sp_arn_ = -1, ri_arn_ = -1, product_ = -1, servicecode_ = -1;
  int product_code_ = -1, resource_tags_ = -1, cost_category_ = -1, public_cost_ = -1;
  int sp_effective_ = -1, sp_total_commitment_ = -1, sp_used_commitment_ = -1;
  int ri_effective_ = -1, ri_unused_upfront_ = -1, ri_unused_recurring_ = -1;
  int x_cost_categories_ = -1;  // column index, when cost_category is present

  // Per row scratch behind the views handed out
  std::string effective_text_;
  TagCanonicalizer tags_;
  TagCanonicalizer cost_categories_;
  std::vector<std::string> unknown_types_;
};

}  // namespace plinth::cost
