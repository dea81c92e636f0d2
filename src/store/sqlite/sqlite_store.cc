// The SQLite Store: WAL journal, foreign keys on, a busy timeout so concurrent writers queue
// instead of failing, statements prepared once per connection.

#include <sqlite3.h>

#include <map>

#include "base/log.h"
#include "store/store.h"

namespace plinth::store {

namespace {

constexpr int kBusyTimeoutMs = 10000;


class Statement {
 public:
  explicit Statement(sqlite3_stmt* s) : s_(s) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(s_); }
  sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

class SqliteStore;

class Connection final {
 public:
  Connection(sqlite3* db, StoreStats* stats) : db_(db), stats_(stats) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    cache_.clear();
    sqlite3_close_v2(db_);
  }

  Error Fail(std::string_view what) {
    stats_->errors++;
    int code = sqlite3_extended_errcode(db_);
    std::string msg = std::string(what) + ": " + sqlite3_errmsg(db_);
    if ((code & 0xff) == SQLITE_CONSTRAINT) return Error::Conflict(msg);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
      return Error::Unavailable(msg);
    }
    return Error::Internal(msg);
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      sqlite3_reset(it->second->get());
      sqlite3_clear_bindings(it->second->get());
      return it->second->get();
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), int(sql.size()), &stmt, nullptr) != SQLITE_OK) {
      return Fail("prepare");
    }
    auto owned = std::make_unique<Statement>(stmt);
    cache_.emplace(std::string(sql), std::move(owned));
    return stmt;
  }

  Result<Rows> Run(std::string_view sql, const Params& params, int64_t* changes) {
    stats_->statements++;
    auto prepared = Prepare(sql);
    if (!prepared.ok()) return std::move(prepared).error();
    sqlite3_stmt* stmt = *prepared;
    if (int(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Error::Internal("statement expects " +
                             std::to_string(sqlite3_bind_parameter_count(stmt)) +
                             " parameters, got " + std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      int idx = int(i) + 1;
      int rc;
      if (v.is_null()) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (v.is_int()) {
        rc = sqlite3_bind_int64(stmt, idx, v.as_int());
      } else if (v.is_real()) {
        rc = sqlite3_bind_double(stmt, idx, v.as_real());
      } else if (v.is_blob()) {
        rc = sqlite3_bind_blob64(stmt, idx, v.as_blob().data(), v.as_blob().size(),
                                 SQLITE_STATIC);  // params outlive the statement's step
      } else {
        rc = sqlite3_bind_text(stmt, idx, v.as_text().data(), int(v.as_text().size()),
                               SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return Fail("bind");
    }
    Rows rows;
    int cols = sqlite3_column_count(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Error e = Fail("step");
        sqlite3_reset(stmt);
        return e;
      }
      std::vector<Value> values;
      values.reserve(cols);
      for (int c = 0; c < cols; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            values.emplace_back();
            break;
          case SQLITE_INTEGER:
            values.emplace_back(int64_t{sqlite3_column_int64(stmt, c)});
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_BLOB:
            values.emplace_back(Blob{std::string(
                static_cast<const char*>(sqlite3_column_blob(stmt, c)),
                size_t(sqlite3_column_bytes(stmt, c)))});
            break;
          default:
            values.emplace_back(std::string(
                reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                size_t(sqlite3_column_bytes(stmt, c))));
        }
      }
      rows.emplace_back(std::move(values));
    }
    if (changes) *changes = sqlite3_changes64(db_);
    sqlite3_reset(stmt);
    return rows;
  }

  Status Script(std::string_view sql) {
    std::string copy(sql);
    // Fail maps the code, so e.g. a deferred foreign key refused at COMMIT is a conflict.
    if (sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Fail("sql");
    }
    return {};
  }

 private:
  sqlite3* db_;
  StoreStats* stats_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, int pool_size)
      : Store(path == ":memory:" ? 1 : pool_size), path_(std::move(path)) {}

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  Result<std::unique_ptr<Conn>> NewConn() override {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path_.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close_v2(db);
      return Error::Unavailable("cannot open SQLite database " + path_ + ": " + msg);
    }
    auto conn = std::make_unique<SqliteTx>(std::make_unique<Connection>(db, &stats_));
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    const char* setup =
        path_ == ":memory:"
            ? "PRAGMA foreign_keys=ON;"
            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
    if (auto s = conn->ExecScript(setup); !s.ok()) {
      return Error::Unavailable("cannot set up SQLite database " + path_ + ": " +
                                s.error().message);
    }
    return std::unique_ptr<Conn>(std::move(conn));
  }

 private:
  class SqliteTx final : public Conn {
   public:
    explicit SqliteTx(std::unique_ptr<Connection> c) : c_(std::move(c)) {}
    Dialect dialect() const override { return Dialect::kSqlite; }
    Result<Rows> Query(std::string_view sql, const Params& params) override {
      return c_->Run(sql, params, nullptr);
    }
    Result<int64_t> Exec(std::string_view sql, const Params& params) override {
      int64_t changes = 0;
      auto rows = c_->Run(sql, params, &changes);
      if (!rows.ok()) return std::move(rows).error();
      return changes;
    }
    Status ExecScript(std::string_view sql) override { return c_->Script(sql); }
    Status Begin(bool write) override {
      return c_->Script(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    }
    Status Commit() override { return c_->Script("COMMIT"); }
    void Rollback() override { (void)c_->Script("ROLLBACK"); }

   private:
    std::unique_ptr<Connection> c_;
  };

  // Constant after construction
  const std::string path_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(std::string_view path, int pool_size) {
  auto store = std::make_unique<SqliteStore>(std::string(path), pool_size);
  // Open one connection now so a bad path fails at start, not at the first request.
  auto probe = store->Read([](Tx& tx) -> Status { return tx.ExecScript("SELECT 1"); });
  if (!probe.ok()) return std::move(probe).error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace plinth::store
