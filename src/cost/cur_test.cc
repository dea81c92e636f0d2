#include "cost/cur.h"

#include <gtest/gtest.h>

namespace plinth::cost {
namespace {

const std::vector<std::string_view> kHeader = {
    "bill_payer_account_id",
    "bill_billing_period_start_date",
    "bill_billing_period_end_date",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_unblended_cost",
    "line_item_currency_code",
    "line_item_line_item_type",
    "reservation_reservation_a_r_n",
    "reservation_unused_amortized_upfront_fee_for_billing_period",
    "reservation_unused_recurring_fee",
    "resource_tags",
    "line_item_product_code"};

// One row: the fields in kHeader order.
std::vector<std::string_view> Row(std::string_view type, std::string_view cost,
                                  std::string_view upfront, std::string_view recurring,
                                  std::string_view tags = "") {
  return {"012345678901",
          "2025-01-01T00:00:00Z",
          "2025-02-01T00:00:00Z",
          "2025-01-01T00:00:00Z",
          "2025-02-01T00:00:00Z",
          cost,
          "USD",
          type,
          "arn:ri",
          upfront,
          recurring,
          tags,
          "AmazonEC2"};
}

TEST(CurMapping, DetectsTheHeader) {
  EXPECT_TRUE(IsCurHeader(kHeader));
  std::vector<std::string_view> focus = {"BilledCost", "BillingAccountId", "line_item_x"};
  EXPECT_FALSE(IsCurHeader(focus));
  std::vector<std::string_view> upper = {"Bill_Payer_Account_Id", "LINE_ITEM_UNBLENDED_COST"};
  EXPECT_TRUE(IsCurHeader(upper));
}

TEST(CurMapping, MissingColumnsAreOneError) {
  std::vector<std::string_view> header = {"bill_payer_account_id", "line_item_usage_start_date"};
  EXPECT_EQ(CurMapper::Create(header, "cur.csv").error().message,
            "cur.csv:1: missing AWS CUR 2.0 columns: bill_billing_period_start_date, "
            "bill_billing_period_end_date, line_item_usage_end_date, line_item_unblended_cost, "
            "line_item_currency_code, line_item_line_item_type");
}

TEST(CurMapping, MapsARowToFocusValues) {
  auto mapper = CurMapper::Create(kHeader, "cur.csv");
  ASSERT_TRUE(mapper.ok()) << mapper.error().message;
  std::vector<std::string_view> values(mapper->columns().size());
  std::string reason;
  auto row = Row("Usage", "0.5", "", "", R"({"user_team": "web", "aws_createdBy": "x"})");
  ASSERT_TRUE(mapper->Map(row, values, &reason)) << reason;
  EXPECT_EQ(values[FocusIndex("BillingAccountId")], "012345678901");
  EXPECT_EQ(values[FocusIndex("BilledCost")], "0.5");
  EXPECT_EQ(values[FocusIndex("EffectiveCost")], "0.5");
  EXPECT_EQ(values[FocusIndex("ChargeCategory")], "Usage");
  EXPECT_EQ(values[FocusIndex("ChargeFrequency")], "Usage-Based");
  EXPECT_EQ(values[FocusIndex("ProviderName")], "AWS");
  EXPECT_EQ(values[FocusIndex("ServiceName")], "AmazonEC2");
  EXPECT_EQ(values[FocusIndex("ServiceCategory")], "Compute");
  EXPECT_EQ(values[FocusIndex("Tags")], R"({"aws_createdBy":"x","team":"web"})");
  EXPECT_EQ(values[FocusIndex("CommitmentDiscountType")], "Reserved Instance");
  EXPECT_EQ(mapper->labels()[FocusIndex("BilledCost")], "BilledCost (line_item_unblended_cost)");
}

TEST(CurMapping, EffectiveCostOfAReservationFeeIsItsUnusedPart) {
  auto mapper = CurMapper::Create(kHeader, "cur.csv");
  ASSERT_TRUE(mapper.ok());
  std::vector<std::string_view> values(mapper->columns().size());
  std::string reason;
  auto fee = Row("RIFee", "43.87", "0.10", "1.2020");
  ASSERT_TRUE(mapper->Map(fee, values, &reason)) << reason;
  EXPECT_EQ(values[FocusIndex("EffectiveCost")], "1.302");
  EXPECT_EQ(values[FocusIndex("ChargeCategory")], "Purchase");
  EXPECT_EQ(values[FocusIndex("ChargeFrequency")], "Recurring");

  auto bad = Row("RIFee", "43.87", "0", "lots");
  EXPECT_FALSE(mapper->Map(bad, values, &reason));
  EXPECT_EQ(reason,
            "EffectiveCost (reservation_unused_recurring_fee): expected a decimal number, got "
            "\"lots\"");
  auto tags = Row("Usage", "1", "", "", "user_team=web");
  EXPECT_FALSE(mapper->Map(tags, values, &reason));
  EXPECT_EQ(reason, "Tags (resource_tags): expected a JSON object, got \"user_team=web\"");
}

}  // namespace
}  // namespace plinth::cost
