#pragma once
// The notification outbox (notify_deliveries): rows written in the transaction that pages a
// person, sent afterwards by delivery workers. A worker claims due rows with a lease; a worker
// that dies leaves its rows to be claimed again when the lease ends, so every notification is
// sent at least once, and receivers deduplicate by its idempotency key. Failed attempts are
// retried with exponential backoff up to kMaxAttempts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "notify/notice.h"
#include "store/store.h"

namespace plinth::paging {

inline constexpr int kMaxAttempts = 8;
// The wait before attempt n + 1 after n failed ones: 10 s, 20 s, 40 s, ... at most 15 minutes.
int64_t BackoffMs(int attempts);

struct OutboxItem {
  std::string id;
  std::string incident_id;
  std::string person;
  notify::Delivery delivery;
  int attempts = 0;  // including the claimed one
};

// Claims up to `limit` deliveries due at now_ms for lease_ms. A page whose incident is no longer
// triggered is cancelled instead (a later rule's SMS after the acknowledgement).
Result<std::vector<OutboxItem>> ClaimDeliveries(store::Store& store, int64_t now_ms, int limit,
                                                int64_t lease_ms);
// Records how an attempt went: sent, retried later, or failed for good.
Status FinishDelivery(store::Store& store, const OutboxItem& item, const notify::Outcome& outcome,
                      int64_t now_ms);
// The earliest time a pending delivery may be claimed (its due time, or the end of its lease),
// or nullopt.
Result<std::optional<int64_t>> NextDeliveryDue(store::Store& store);

// The deliveries of an incident, oldest first, as the API shows them.
Result<Json> DeliveriesJson(store::Tx& tx, std::string_view incident_id);

}  // namespace plinth::paging
