#pragma once
// The Store: plinth's one door to its SQL database. Two implementations share this interface:
// SQLite (default, one file, WAL) and PostgreSQL (libpq; several replicas on one database).
//
// SQL is written once with `?` placeholders and a common subset of SQL (TEXT, BIGINT, DOUBLE
// PRECISION, ON CONFLICT upserts, RETURNING); the PostgreSQL implementation rewrites `?` to
// `$1..$n`. Statements are prepared once per connection and cached. PostgreSQL infers each
// parameter's type from the SQL around it, so a parameter with no such context needs a cast:
// write `CAST(? AS TEXT) IS NULL`, not `? IS NULL`.
//
// Thread-safety: a Store is shared by all threads; a Tx belongs to the thread that runs the
// transaction function and must not escape it.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace plinth::store {

enum class Dialect { kSqlite, kPostgres };

// Binary data: a BLOB on SQLite, a bytea on PostgreSQL (sent in binary, read back hex-decoded).
struct Blob {
  std::string bytes;
};

// A parameter or column value.
class Value {
 public:
  Value() = default;                               // NULL
  Value(std::nullptr_t) {}                         // NOLINT: NULL
  Value(int v) : v_(int64_t{v}) {}                 // NOLINT
  Value(int64_t v) : v_(v) {}                      // NOLINT
  Value(double v) : v_(v) {}                       // NOLINT
  Value(bool v) : v_(int64_t{v ? 1 : 0}) {}        // NOLINT: stored as 0/1
  Value(std::string v) : v_(std::move(v)) {}       // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Value(const char* v) : v_(std::string(v)) {}     // NOLINT
  Value(Blob v) : v_(std::move(v)) {}              // NOLINT
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT: nullopt is NULL
    if (v) *this = Value(*v);
  }

  bool is_null() const { return v_.index() == 0; }
  bool is_int() const { return v_.index() == 1; }
  bool is_real() const { return v_.index() == 2; }
  bool is_text() const { return v_.index() == 3; }
  bool is_blob() const { return v_.index() == 4; }
  int64_t as_int() const { return std::get<1>(v_); }
  double as_real() const { return std::get<2>(v_); }
  const std::string& as_text() const { return std::get<3>(v_); }
  const std::string& as_blob() const { return std::get<4>(v_).bytes; }

 private:
  std::variant<std::monostate, int64_t, double, std::string, Blob> v_;
};

using Params = std::vector<Value>;

// One result row. Typed getters convert between the backends' representations (PostgreSQL
// returns text; SQLite returns what was stored), so callers read the type they wrote.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return values_.at(i).is_null(); }
  int64_t Int(size_t i) const;               // NULL reads as 0
  double Real(size_t i) const;               // NULL reads as 0
  std::string Text(size_t i) const;          // NULL reads as ""
  std::optional<std::string> OptText(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;
  // The bytes of a BLOB/bytea column (PostgreSQL's text form "\x…" is decoded); NULL reads as "".
  std::string Bytes(size_t i) const;
  bool Bool(size_t i) const { return Int(i) != 0; }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

// A connection inside a transaction.
class Tx {
 public:
  Tx() = default;
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  virtual ~Tx() = default;

  virtual Dialect dialect() const = 0;
  // Runs one statement with `?` parameters and returns its rows.
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs several `;`-separated statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Convenience: the first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});
};

// Counters for /metrics. Monotonic.
struct StoreStats {
  std::atomic<int64_t> transactions{0};
  std::atomic<int64_t> rollbacks{0};
  std::atomic<int64_t> statements{0};
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> wait_ms{0};  // time spent waiting for a free connection
};

class Store {
 public:
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // "sqlite:PATH", "sqlite::memory:", "postgres://…" or "postgresql://…"; a bare path means
  // SQLite. `pool_size` connections at most (SQLite in memory always uses one).
  static Result<std::unique_ptr<Store>> Open(std::string_view url, int pool_size = 8);

  virtual Dialect dialect() const = 0;
  // The URL with any password replaced by "***", safe to log.
  virtual std::string Describe() const = 0;
  const StoreStats& stats() const { return stats_; }

  // Runs `fn` in a read-write transaction: committed when fn returns ok, rolled back when it
  // returns an error or throws. SQLite takes the write lock at BEGIN (BEGIN IMMEDIATE).
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
    return Run(true, std::forward<F>(fn));
  }
  // Runs `fn` in a read-only snapshot.
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
    return Run(false, std::forward<F>(fn));
  }

 protected:
  // A pooled connection with transaction control.
  class Conn : public Tx {
   public:
    virtual Status Begin(bool write) = 0;
    virtual Status Commit() = 0;
    virtual void Rollback() = 0;
    // False after a fatal connection error; the pool then drops it.
    virtual bool healthy() const { return true; }
  };

  explicit Store(int pool_size) : pool_size_(pool_size) {}
  virtual Result<std::unique_ptr<Conn>> NewConn() = 0;

  StoreStats stats_;

 private:
  Result<std::unique_ptr<Conn>> Acquire();
  void Release(std::unique_ptr<Conn> conn);

  template <typename F>
  auto Run(bool write, F&& fn) -> decltype(fn(std::declval<Tx&>())) {
    using R = decltype(fn(std::declval<Tx&>()));
    auto conn = Acquire();
    if (!conn.ok()) return R(std::move(conn).error());
    struct Lease {
      Store* store;
      std::unique_ptr<Conn> conn;
      bool open = false;
      ~Lease() {
        if (open) {
          conn->Rollback();
          store->stats_.rollbacks++;
        }
        store->Release(std::move(conn));
      }
    } lease{this, std::move(conn).value()};
    stats_.transactions++;
    if (auto s = lease.conn->Begin(write); !s.ok()) return R(std::move(s).error());
    lease.open = true;
    R result = fn(*lease.conn);
    if (!result.ok()) return result;
    lease.open = false;
    if (auto s = lease.conn->Commit(); !s.ok()) {
      lease.conn->Rollback();
      stats_.rollbacks++;
      return R(std::move(s).error());
    }
    return result;
  }

  // Constant after construction
  const int pool_size_;

  // Guarded by mu_
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
};

// Runs `fn` (returning a Result) inside a savepoint of `tx`: when it fails, only its own writes
// are undone and the transaction goes on (a batch of independent events, one of them bad).
template <typename F>
auto InSavepoint(Tx& tx, F&& fn) -> decltype(fn()) {
  using R = decltype(fn());
  if (auto s = tx.ExecScript("SAVEPOINT plinth_sp"); !s.ok()) return R(std::move(s).error());
  R result = fn();
  if (!result.ok()) {
    if (auto s = tx.ExecScript("ROLLBACK TO SAVEPOINT plinth_sp"); !s.ok()) {
      return R(std::move(s).error());
    }
  }
  if (auto s = tx.ExecScript("RELEASE SAVEPOINT plinth_sp"); !s.ok()) {
    return R(std::move(s).error());
  }
  return result;
}

// Opens the SQLite store. `path` ":memory:" is a private in-memory database.
Result<std::unique_ptr<Store>> OpenSqlite(std::string_view path, int pool_size);
// Opens the PostgreSQL store from a libpq connection URI.
Result<std::unique_ptr<Store>> OpenPostgres(std::string_view uri, int pool_size);

}  // namespace plinth::store
