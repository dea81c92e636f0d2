#include "paging/outbox.h"

#include <algorithm>

#include "base/time.h"

namespace plinth::paging {

int64_t BackoffMs(int attempts) {
  int64_t ms = 10'000;
  for (int i = 1; i < attempts && ms < 15 * 60'000; ++i) ms *= 2;
  return std::min<int64_t>(ms, 15 * 60'000);
}

Result<std::vector<OutboxItem>> ClaimDeliveries(store::Store& store, int64_t now_ms, int limit,
                                                int64_t lease_ms) {
  return store.Write([&](store::Tx& tx) -> Result<std::vector<OutboxItem>> {
    std::string lock =
        tx.dialect() == store::Dialect::kPostgres ? " FOR UPDATE OF d SKIP LOCKED" : "";
    PLINTH_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT d.id, d.incident_id, d.person, d.channel, d.address, "
                 "d.idempotency_key, d.notice, d.attempts, d.only_if_triggered, i.status "
                 "FROM notify_deliveries d JOIN paging_incidents i ON i.id = d.incident_id "
                 "WHERE d.status = 'pending' AND d.due_ms <= ? AND d.lease_until_ms <= ? "
                 "ORDER BY d.due_ms, d.id LIMIT ?" + lock,
                 {now_ms, now_ms, limit}));
    std::vector<OutboxItem> out;
    for (const auto& r : rows) {
      if (r.Bool(8) && r.Text(9) != "triggered") {
        PLINTH_RETURN_IF_ERROR(tx.Exec(
            "UPDATE notify_deliveries SET status = 'cancelled' WHERE id = ?", {r.Text(0)}));
        continue;
      }
      auto notice_json = ParseJson(r.Text(6));
      auto notice = notice_json.ok() ? notify::NoticeFromJson(*notice_json)
                                     : Result<notify::Notice>(notice_json.error());
      if (!notice.ok()) {
        PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE notify_deliveries SET status = 'failed', "
                                       "last_error = ? WHERE id = ?",
                                       {"unreadable notice: " + notice.error().message, r.Text(0)}));
        continue;
      }
      OutboxItem item;
      item.id = r.Text(0);
      item.incident_id = r.Text(1);
      item.person = r.Text(2);
      item.delivery = {r.Text(3), r.Text(4), r.Text(5), std::move(notice).value()};
      item.attempts = static_cast<int>(r.Int(7)) + 1;
      PLINTH_RETURN_IF_ERROR(tx.Exec(
          "UPDATE notify_deliveries SET lease_until_ms = ?, attempts = ?, first_attempt_ms = "
          "COALESCE(first_attempt_ms, ?) WHERE id = ?",
          {now_ms + lease_ms, item.attempts, now_ms, item.id}));
      out.push_back(std::move(item));
    }
    return out;
  });
}

Status FinishDelivery(store::Store& store, const OutboxItem& item, const notify::Outcome& outcome,
                      int64_t now_ms) {
  return store.Write([&](store::Tx& tx) -> Status {
    if (outcome.ok) {
      // Sent is what happened, also when an acknowledgement cancelled it while in flight.
      PLINTH_RETURN_IF_ERROR(tx.Exec(
          "UPDATE notify_deliveries SET status = 'sent', sent_ms = ?, provider_id = ?, "
          "last_error = '' WHERE id = ? AND status IN ('pending', 'cancelled')",
          {now_ms, outcome.provider_id, item.id}));
    } else if (outcome.retryable && item.attempts < kMaxAttempts) {
      PLINTH_RETURN_IF_ERROR(tx.Exec(
          "UPDATE notify_deliveries SET due_ms = ?, lease_until_ms = 0, last_error = ? "
          "WHERE id = ? AND status = 'pending'",
          {now_ms + BackoffMs(item.attempts), outcome.error, item.id}));
    } else {
      PLINTH_RETURN_IF_ERROR(tx.Exec(
          "UPDATE notify_deliveries SET status = 'failed', last_error = ? WHERE id = ? AND "
          "status = 'pending'",
          {outcome.error, item.id}));
    }
    return {};
  });
}

Result<std::optional<int64_t>> NextDeliveryDue(store::Store& store) {
  return store.Read([](store::Tx& tx) -> Result<std::optional<int64_t>> {
    // A leased delivery is due again only when its lease ends.
    PLINTH_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT MIN(CASE WHEN lease_until_ms > due_ms THEN lease_until_ms "
                              "ELSE due_ms END) FROM notify_deliveries WHERE status = 'pending'"));
    if (!row || row->IsNull(0)) return std::optional<int64_t>();
    return std::optional<int64_t>(row->Int(0));
  });
}

Result<Json> DeliveriesJson(store::Tx& tx, std::string_view incident_id) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT id, person, channel, address, idempotency_key, status, attempts, due_ms, "
               "first_attempt_ms, sent_ms, provider_id, last_error, created_ms FROM "
               "notify_deliveries WHERE incident_id = ? ORDER BY created_ms, due_ms, id",
               {incident_id}));
  Json out = Json::array();
  for (const auto& r : rows) {
    Json d = {{"id", r.Text(0)},         {"person", r.Text(1)},
              {"channel", r.Text(2)},    {"address", r.Text(3)},
              {"idempotencyKey", r.Text(4)}, {"status", r.Text(5)},
              {"attempts", r.Int(6)},    {"dueAt", FormatRfc3339(r.Int(7))},
              {"createdAt", FormatRfc3339(r.Int(12))}};
    if (auto t = r.OptInt(8)) d["firstAttemptAt"] = FormatRfc3339(*t);
    if (auto t = r.OptInt(9)) d["sentAt"] = FormatRfc3339(*t);
    if (!r.Text(10).empty()) d["providerId"] = r.Text(10);
    if (!r.Text(11).empty()) d["lastError"] = r.Text(11);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace plinth::paging
