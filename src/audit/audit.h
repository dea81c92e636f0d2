#pragma once
// The append-only, hash-chained audit log. Every mutation anywhere in plinth appends one entry
// inside the same transaction as the change it records, so an entry exists exactly when the
// change was committed.
//
// Chain: hash = SHA-256(prev_hash + "\n" + canonical JSON of the entry's fields); the first
// entry's prev_hash is "". Verify() recomputes the chain and names the first entry that was
// edited, deleted or reordered.
//
// Entries never contain secrets: callers pass documents with passwords and tokens removed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::audit {

struct Entry {
  int64_t seq = 0;  // 1, 2, 3, ... with no gaps
  int64_t at_ms = 0;
  std::string actor;   // "user:alice", "token:0f3a…", "cli:root"
  std::string action;  // "create", "update", "delete", "login", "token.create", ...
  std::string kind;    // resource kind, e.g. "Service", "User", "ApiToken"
  std::string name;    // resource name or id
  std::optional<Json> before;  // state before; nullopt for a create
  std::optional<Json> after;   // state after; nullopt for a delete
  std::string prev_hash;
  std::string hash;

  Json ToJson() const;
};

// Appends one entry inside the caller's write transaction and returns it.
Result<Entry> Append(store::Tx& tx, int64_t at_ms, std::string_view actor,
                     std::string_view action, std::string_view kind, std::string_view name,
                     const std::optional<Json>& before, const std::optional<Json>& after);

struct ListQuery {
  std::optional<std::string> kind;
  std::optional<std::string> name;
  std::optional<std::string> actor;
  int64_t before_seq = 0;  // cursor: only entries with seq < before_seq; 0 means from the newest
  int limit = 100;         // newest first
};

Result<std::vector<Entry>> List(store::Tx& tx, const ListQuery& query);

struct VerifyReport {
  int64_t entries = 0;  // entries checked
  bool ok = true;
  int64_t first_bad_seq = 0;  // when !ok: the first entry whose hash or sequence is wrong
  std::string problem;        // when !ok: what is wrong, for a person
};

// Recomputes the whole chain, including the head row; detects edited, deleted, inserted or
// truncated entries.
Result<VerifyReport> Verify(store::Tx& tx);

}  // namespace plinth::audit
