// The PostgreSQL Store: libpq connections, `?` placeholders rewritten to `$1..$n`, each
// distinct statement prepared once per connection (and per combination of declared parameter
// types, see TypeOf), every value sent and received as text (Row's typed getters convert).
// SQLSTATEs map to plinth error codes; a lost connection is reported as kUnavailable and
// dropped from the pool. A parameter whose type the statement does not imply (`? IS NULL`)
// needs a CAST on PostgreSQL.

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "store/store.h"

namespace plinth::store {

namespace {

constexpr const char* kConnectTimeoutSeconds = "10";
constexpr Oid kInt8Oid = 20;     // bigint
constexpr Oid kFloat8Oid = 701;  // double precision
constexpr Oid kByteaOid = 17;    // bytea

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConnPtr = std::unique_ptr<PGconn, ConnDeleter>;

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The end (one past) of the quoted, commented or dollar-quoted span starting at `i`, or `i`
// when no such span starts there.
size_t SkipSpan(std::string_view sql, size_t i) {
  const size_t n = sql.size();
  const char c = sql[i];
  const char next = i + 1 < n ? sql[i + 1] : '\0';
  if (c == '\'') {  // 'text' with '' escapes; E'text' also with backslash escapes
    bool backslash =
        i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
    size_t j = i + 1;
    while (j < n) {
      if (backslash && sql[j] == '\\') {
        j += 2;
      } else if (sql[j] == '\'') {
        if (j + 1 < n && sql[j + 1] == '\'') {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        ++j;
      }
    }
    return n;
  }
  if (c == '"') {  // "identifier"; a doubled "" is two adjacent spans
    size_t j = sql.find('"', i + 1);
    return j == std::string_view::npos ? n : j + 1;
  }
  if (c == '-' && next == '-') {
    size_t j = sql.find('\n', i);
    return j == std::string_view::npos ? n : j + 1;
  }
  if (c == '/' && next == '*') {  // block comments nest in PostgreSQL
    int depth = 0;
    size_t j = i;
    while (j < n) {
      if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
        ++depth;
        j += 2;
      } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
        j += 2;
        if (--depth == 0) return j;
      } else {
        ++j;
      }
    }
    return n;
  }
  if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {  // $tag$ ... $tag$
    size_t j = i + 1;
    while (j < n && IsIdentChar(sql[j])) ++j;
    bool tag_ok = j < n && sql[j] == '$' &&
                  (j == i + 1 || !std::isdigit(static_cast<unsigned char>(sql[i + 1])));
    if (!tag_ok) return i;
    std::string_view tag = sql.substr(i, j - i + 1);
    size_t end = sql.find(tag, j + 1);
    return end == std::string_view::npos ? n : end + tag.size();
  }
  return i;
}

struct Rewritten {
  std::string sql;
  size_t params = 0;
};

// `?` -> `$1..$n`, leaving strings, quoted identifiers and comments untouched.
Rewritten RewritePlaceholders(std::string_view sql) {
  Rewritten out;
  out.sql.reserve(sql.size() + 16);
  size_t i = 0;
  while (i < sql.size()) {
    size_t end = SkipSpan(sql, i);
    if (end > i) {
      out.sql.append(sql.substr(i, end - i));
      i = end;
    } else if (sql[i] == '?') {
      out.sql += '$' + std::to_string(++out.params);
      ++i;
    } else {
      out.sql += sql[i++];
    }
  }
  return out;
}

void ReplaceAll(std::string& s, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size())) {
    s.replace(p, what.size(), with);
  }
}

// Where a libpq URI holds passwords, as [begin, end) in order: the userinfo password and the
// value of every `password=` (and `sslpassword=`) parameter.
std::vector<std::pair<size_t, size_t>> PasswordSpans(std::string_view uri) {
  constexpr auto npos = std::string_view::npos;
  std::vector<std::pair<size_t, size_t>> out;
  if (size_t scheme = uri.find("://"); scheme != npos) {
    size_t at = uri.find_first_of("@/", scheme + 3), colon = uri.find(':', scheme + 3);
    if (at != npos && uri[at] == '@' && colon < at) out.emplace_back(colon + 1, at);
  }
  for (size_t p = uri.find("password="); p != npos; p = uri.find("password=", p + 1)) {
    if (!out.empty() && p < out.back().second) continue;
    out.emplace_back(p + 9, std::min(uri.find_first_of("& ", p + 9), uri.size()));
  }
  return out;
}

// `uri` with every password shown as "***": safe to log.
std::string MaskUri(std::string_view uri) {
  std::string out(uri);
  auto spans = PasswordSpans(uri);
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    out.replace(it->first, it->second - it->first, "***");
  }
  return out;
}

std::vector<std::string> Passwords(std::string_view uri) {
  std::vector<std::string> out;
  for (auto [begin, end] : PasswordSpans(uri)) {
    if (end > begin) out.emplace_back(uri.substr(begin, end - begin));
  }
  return out;
}

std::string Trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s.empty() ? "unknown error" : s;
}

void OnNotice(void*, const char* message) { LogWarn("postgres: " + Trimmed(message)); }

class PgStore final : public Store {
 public:
  PgStore(std::string uri, int pool_size)
      : Store(pool_size),
        uri_(std::move(uri)),
        passwords_(Passwords(uri_)),
        describe_(MaskUri(uri_)) {}

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override { return describe_; }

  Result<std::unique_ptr<Conn>> NewConn() override {
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {kConnectTimeoutSeconds, "plinth", uri_.c_str(), nullptr};
    PgConnPtr pg(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
    auto conn = std::make_unique<PgTx>(std::move(pg), this);
    if (auto s = conn->Setup(); !s.ok()) return std::move(s).error();
    return std::unique_ptr<Conn>(std::move(conn));
  }

  // `s` with every password of the URI replaced by "***".
  std::string Masked(std::string s) const {
    for (const auto& p : passwords_) ReplaceAll(s, p, "***");
    return s;
  }

 private:
  class PgTx final : public Conn {
   public:
    PgTx(PgConnPtr pg, PgStore* store) : pg_(std::move(pg)), store_(store) {}

    Dialect dialect() const override { return Dialect::kPostgres; }
    bool healthy() const override { return healthy_; }

    // Checks the new connection and sets the session up. Also used after PQreset.
    Status Setup() {
      cache_.clear();
      if (!pg_ || PQstatus(pg_.get()) != CONNECTION_OK) {
        healthy_ = false;
        return Error::Unavailable(
            "cannot connect to PostgreSQL " + store_->describe_ + ": " +
            store_->Masked(Trimmed(pg_ ? PQerrorMessage(pg_.get()) : "out of memory")));
      }
      PQsetNoticeProcessor(pg_.get(), OnNotice, nullptr);
      healthy_ = true;
      return Simple("SET client_min_messages TO warning");
    }

    Result<Rows> Query(std::string_view sql, const Params& params) override {
      PLINTH_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
      const int rows = PQntuples(r.get()), cols = PQnfields(r.get());
      Rows out;
      out.reserve(size_t(rows));
      for (int i = 0; i < rows; ++i) {
        std::vector<Value> values;
        values.reserve(size_t(cols));
        for (int c = 0; c < cols; ++c) {
          if (PQgetisnull(r.get(), i, c)) {
            values.emplace_back();
          } else {
            values.emplace_back(
                std::string(PQgetvalue(r.get(), i, c), size_t(PQgetlength(r.get(), i, c))));
          }
        }
        out.emplace_back(std::move(values));
      }
      return out;
    }

    Result<int64_t> Exec(std::string_view sql, const Params& params) override {
      PLINTH_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
      std::string_view n = PQcmdTuples(r.get());
      int64_t changed = 0;
      std::from_chars(n.data(), n.data() + n.size(), changed);
      return changed;
    }

    Status ExecScript(std::string_view sql) override { return Simple(std::string(sql)); }

    Status Begin(bool write) override {
      // Reads see one snapshot across their statements, as store.h promises.
      const char* begin = write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
      failure_.reset();
      if (healthy_ && PQtransactionStatus(pg_.get()) != PQTRANS_IDLE) Rollback();
      if (healthy_) {
        if (auto s = Simple(begin); s.ok() || healthy_) return s;
      }
      // An idle pooled connection may have been lost; nothing ran yet, so reconnect once.
      PQreset(pg_.get());
      PLINTH_RETURN_IF_ERROR(Setup());
      return Simple(begin);
    }

    Status Commit() override {
      if (healthy_ && PQtransactionStatus(pg_.get()) == PQTRANS_INERROR) {
        // COMMIT would silently roll back; report the statement that doomed the transaction.
        Error e = failure_.value_or(Error::Internal("transaction failed"));
        e.message = "transaction rolled back after an earlier error: " + e.message;
        return e;
      }
      return Simple("COMMIT");
    }

    void Rollback() override {
      if (!healthy_ || PQtransactionStatus(pg_.get()) == PQTRANS_IDLE) return;
      (void)Simple("ROLLBACK");
      if (healthy_ && PQtransactionStatus(pg_.get()) != PQTRANS_IDLE) healthy_ = false;
    }

   private:
    // One server-side prepared statement: SQL text plus declared parameter types.
    struct Variant {
      std::string name;
      std::vector<Oid> types;
    };
    struct Statement {
      std::string sql;  // with $n placeholders
      size_t params;
      std::vector<Variant> variants;  // usually one
    };

    // Declared parameter types. PostgreSQL infers a type from the statement, and for a bare
    // `? + 1` infers int4: an int64 outside int4 and every double are therefore declared as
    // bigint and double precision; the rest is left to inference (`substr(s, ?)` wants int4).
    static Oid TypeOf(const Value& v) {
      if (v.is_real()) return kFloat8Oid;
      if (v.is_blob()) return kByteaOid;
      if (v.is_int() && (v.as_int() < std::numeric_limits<int32_t>::min() ||
                         v.as_int() > std::numeric_limits<int32_t>::max())) {
        return kInt8Oid;
      }
      return 0;
    }

    Error Fail(const PGresult* r, std::string_view what) {
      store_->stats_.errors++;
      const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
      std::string_view code = state ? state : "";
      const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
      std::string msg = store_->Masked(Trimmed(primary ? primary : PQerrorMessage(pg_.get())));
      Error e = Error::Internal(std::string(what) + ": " + msg);
      if (PQstatus(pg_.get()) != CONNECTION_OK || code.starts_with("08") ||
          code.starts_with("57P")) {
        healthy_ = false;
        e = Error::Unavailable("lost connection to PostgreSQL " + store_->describe_ + ": " + msg);
      } else if (code.starts_with("23")) {
        e.code = ErrorCode::kConflict;
      } else if (code == "40001" || code == "40P01") {
        e = Error::Unavailable(e.message + " (retry)");
      } else if (code.starts_with("53") || code.starts_with("57")) {
        e.code = ErrorCode::kUnavailable;
      } else if (code.starts_with("22")) {
        e.code = ErrorCode::kInvalid;
      }
      failure_ = e;
      return e;
    }

    bool Succeeded(const PGresult* r) const {
      auto status = PQresultStatus(r);
      return r && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK);
    }

    Status Simple(const std::string& sql) {
      if (!healthy_) return Error::Unavailable("connection to PostgreSQL lost");
      PgResult r(PQexec(pg_.get(), sql.c_str()));
      if (!Succeeded(r.get())) return Fail(r.get(), "sql");
      return {};
    }

    // The prepared form of `sql` for these parameter kinds, preparing it on first use.
    Result<const Variant*> Prepare(std::string_view sql, const Params& params) {
      std::vector<Oid> types;
      types.reserve(params.size());
      for (const Value& v : params) types.push_back(TypeOf(v));
      auto it = cache_.find(sql);
      if (it == cache_.end()) {
        Rewritten rw = RewritePlaceholders(sql);
        it = cache_.emplace(std::string(sql), Statement{std::move(rw.sql), rw.params, {}}).first;
      }
      Statement& st = it->second;
      if (params.size() != st.params) {
        return Error::Internal("statement expects " + std::to_string(st.params) +
                               " parameters, got " + std::to_string(params.size()));
      }
      for (const Variant& v : st.variants) {
        if (v.types == types) return &v;
      }
      std::string name = "plinth_" + std::to_string(++prepared_);
      PgResult r(
          PQprepare(pg_.get(), name.c_str(), st.sql.c_str(), int(types.size()), types.data()));
      if (!Succeeded(r.get())) return Fail(r.get(), "prepare");
      st.variants.push_back({std::move(name), std::move(types)});
      return &st.variants.back();
    }

    Result<PgResult> Run(std::string_view sql, const Params& params) {
      if (!healthy_) return Error::Unavailable("connection to PostgreSQL lost");
      store_->stats_.statements++;
      PLINTH_ASSIGN_OR_RETURN(const Variant* prepared, Prepare(sql, params));
      std::vector<std::string> text(params.size());
      std::vector<const char*> values(params.size(), nullptr);
      std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);
      for (size_t i = 0; i < params.size(); ++i) {
        const Value& v = params[i];
        if (v.is_blob()) {  // bytea in binary: no escaping, NULs allowed
          values[i] = v.as_blob().data();
          lengths[i] = int(v.as_blob().size());
          formats[i] = 1;
          continue;
        }
        if (v.is_int()) {
          text[i] = std::to_string(v.as_int());
        } else if (v.is_real()) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", v.as_real());
          text[i] = buf;
        } else if (v.is_text()) {
          if (v.as_text().find('\0') != std::string::npos) {
            return Error::Invalid("text contains a NUL character");
          }
          values[i] = v.as_text().c_str();
          continue;
        } else {
          continue;  // NULL
        }
        values[i] = text[i].c_str();
      }
      PgResult r(PQexecPrepared(pg_.get(), prepared->name.c_str(), int(params.size()),
                                values.data(), lengths.data(), formats.data(), 0));
      if (!Succeeded(r.get())) return Fail(r.get(), "sql");
      return r;
    }

    PgConnPtr pg_;
    PgStore* const store_;  // outlives its connections
    bool healthy_ = false;
    std::optional<Error> failure_;  // the last error in the current transaction
    std::map<std::string, Statement, std::less<>> cache_;  // keyed by SQL as written
    int64_t prepared_ = 0;                                 // names plinth_1, plinth_2, ...
  };

  // Constant after construction
  const std::string uri_;
  const std::vector<std::string> passwords_;
  const std::string describe_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgres(std::string_view uri, int pool_size) {
  auto store = std::make_unique<PgStore>(std::string(uri), pool_size);
  // Open one connection now so a bad URL fails at start, not at the first request.
  auto probe = store->Read([](Tx& tx) -> Status { return tx.ExecScript("SELECT 1"); });
  if (!probe.ok()) return std::move(probe).error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace plinth::store
