#include "audit/audit.h"

#include <utility>

#include "base/crypto.h"
#include "base/time.h"

namespace plinth::audit {

namespace {

constexpr const char* kColumns =
    "seq, at_ms, actor, action, kind, name, before_doc, after_doc, prev_hash, hash";
constexpr int64_t kVerifyPageSize = 1000;
constexpr int kMaxListLimit = 1000;

// Dumps never throw: invalid UTF-8 is replaced the same way on write and on verify.
std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json DocOrNull(const std::optional<Json>& doc) { return doc ? *doc : Json(nullptr); }

// The canonical text that, after prev_hash and "\n", is hashed into an entry's hash.
std::string CanonicalText(const Entry& e) {
  Json j = {{"seq", e.seq},
            {"at_ms", e.at_ms},
            {"actor", e.actor},
            {"action", e.action},
            {"kind", e.kind},
            {"name", e.name},
            {"before", DocOrNull(e.before)},
            {"after", DocOrNull(e.after)}};
  return Dump(j);
}

std::string ComputeHash(const Entry& e) { return Sha256Hex(e.prev_hash + "\n" + CanonicalText(e)); }

// Parses a stored document column; `column` names it in the error.
Result<std::optional<Json>> ParseDoc(const store::Row& row, size_t i, int64_t seq,
                                     const char* column) {
  auto text = row.OptText(i);
  if (!text) return std::optional<Json>();
  auto doc = ParseJson(*text);
  if (!doc.ok()) {
    return Error::Internal("entry " + std::to_string(seq) + ": " + column + " is not valid JSON");
  }
  return std::optional<Json>(std::move(doc).value());
}

// Reads a row selected with kColumns.
Result<Entry> FromRow(const store::Row& row) {
  Entry e;
  e.seq = row.Int(0);
  e.at_ms = row.Int(1);
  e.actor = row.Text(2);
  e.action = row.Text(3);
  e.kind = row.Text(4);
  e.name = row.Text(5);
  PLINTH_ASSIGN_OR_RETURN(e.before, ParseDoc(row, 6, e.seq, "before_doc"));
  PLINTH_ASSIGN_OR_RETURN(e.after, ParseDoc(row, 7, e.seq, "after_doc"));
  e.prev_hash = row.Text(8);
  e.hash = row.Text(9);
  return e;
}

std::string Missing(int64_t seq, const std::string& why) {
  return "entry " + std::to_string(seq) + " is missing (" + why + ")";
}

}  // namespace

Json Entry::ToJson() const {
  return {{"seq", seq},
          {"at", FormatRfc3339(at_ms)},
          {"actor", actor},
          {"action", action},
          {"kind", kind},
          {"name", name},
          {"before", DocOrNull(before)},
          {"after", DocOrNull(after)},
          {"hash", hash}};
}

Result<Entry> Append(store::Tx& tx, int64_t at_ms, std::string_view actor, std::string_view action,
                     std::string_view kind, std::string_view name,
                     const std::optional<Json>& before, const std::optional<Json>& after) {
  // Bumping the head first locks its row (PostgreSQL) and so serialises writers; it returns the
  // new seq and the hash of the entry before it.
  PLINTH_ASSIGN_OR_RETURN(
      auto head,
      tx.QueryOne("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash"));
  if (!head) return Error::Internal("audit_head row is missing; the database is damaged");

  Entry e;
  e.seq = head->Int(0);
  e.at_ms = at_ms;
  e.actor = actor;
  e.action = action;
  e.kind = kind;
  e.name = name;
  e.before = before;
  e.after = after;
  e.prev_hash = head->Text(1);
  e.hash = ComputeHash(e);

  std::optional<std::string> before_text, after_text;
  if (before) before_text = Dump(*before);
  if (after) after_text = Dump(*after);
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO audit_log (seq, at_ms, actor, action, kind, name, before_doc, after_doc, "
      "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, e.at_ms, e.actor, e.action, e.kind, e.name, before_text, after_text, e.prev_hash,
       e.hash}));
  PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", {e.hash}));
  return e;
}

Result<std::vector<Entry>> List(store::Tx& tx, const ListQuery& query) {
  if (query.limit < 1 || query.limit > kMaxListLimit) {
    return Error::Field("/limit", "limit must be between 1 and " + std::to_string(kMaxListLimit));
  }
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1";
  store::Params params;
  auto filter = [&](const char* column, const std::optional<std::string>& value) {
    if (!value) return;
    sql += std::string(" AND ") + column + " = ?";
    params.emplace_back(*value);
  };
  filter("kind", query.kind);
  filter("name", query.name);
  filter("actor", query.actor);
  if (query.before_seq > 0) {
    sql += " AND seq < ?";
    params.emplace_back(query.before_seq);
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  params.emplace_back(query.limit);

  PLINTH_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<Entry> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    PLINTH_ASSIGN_OR_RETURN(auto e, FromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

Result<VerifyReport> Verify(store::Tx& tx) {
  VerifyReport report;
  auto fail = [&](int64_t seq, std::string problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
    return report;
  };
  const std::string head_sql = "SELECT seq, hash FROM audit_head WHERE id = 1";

  // The head is read first and bounds the walk: an entry and its head update commit together,
  // so entries appended concurrently (visible to later statements under READ COMMITTED) are
  // not mistaken for tampering.
  PLINTH_ASSIGN_OR_RETURN(auto head, tx.QueryOne(head_sql));
  if (!head) return fail(1, "the audit head row is missing");
  const int64_t head_seq = head->Int(0);

  int64_t last_seq = 0;
  std::string last_hash;
  // Pages through the log in seq order so memory stays bounded on long logs.
  for (bool more = true; more;) {
    PLINTH_ASSIGN_OR_RETURN(
        auto rows, tx.Query(std::string("SELECT ") + kColumns +
                                " FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                            {last_seq, head_seq, kVerifyPageSize}));
    more = rows.size() == static_cast<size_t>(kVerifyPageSize);
    for (const auto& row : rows) {
      report.entries++;
      int64_t seq = row.Int(0);
      std::string where = "entry " + std::to_string(seq) + ": ";
      if (seq != last_seq + 1) {
        return fail(last_seq + 1,
                    Missing(last_seq + 1, "the next entry is " + std::to_string(seq)));
      }
      auto entry = FromRow(row);
      if (!entry.ok()) return fail(seq, entry.error().message);
      if (entry->prev_hash != last_hash) {
        return fail(seq, seq == 1 ? where + "prev_hash must be empty for the first entry"
                                  : where + "prev_hash does not match the hash of entry " +
                                        std::to_string(last_seq));
      }
      if (ComputeHash(*entry) != entry->hash) {
        return fail(seq, where + "hash does not match the entry's contents");
      }
      last_seq = seq;
      last_hash = entry->hash;
    }
  }

  if (last_seq < head_seq) {
    return fail(last_seq + 1,
                Missing(last_seq + 1, "the audit head is at seq " + std::to_string(head_seq)));
  }
  if (head->Text(1) != last_hash) {
    return fail(last_seq, "the audit head hash does not match entry " + std::to_string(last_seq));
  }
  // An entry past the head is tampering unless the head has moved past it since it was read.
  PLINTH_ASSIGN_OR_RETURN(
      auto beyond,
      tx.QueryOne("SELECT seq FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1", {head_seq}));
  if (beyond) {
    PLINTH_ASSIGN_OR_RETURN(auto now_head, tx.QueryOne(head_sql));
    int64_t now_seq = now_head ? now_head->Int(0) : 0;
    if (now_seq < beyond->Int(0)) {
      return fail(beyond->Int(0), "entry " + std::to_string(beyond->Int(0)) +
                                      " is beyond the audit head (seq " + std::to_string(now_seq) +
                                      ")");
    }
  }
  return report;
}

}  // namespace plinth::audit
