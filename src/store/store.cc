#include "store/store.h"

#include <charconv>
#include <chrono>

namespace plinth::store {

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (v.is_int()) return v.as_int();
  if (v.is_real()) return static_cast<int64_t>(v.as_real());
  if (v.is_text()) {
    int64_t out = 0;
    const auto& s = v.as_text();
    std::from_chars(s.data(), s.data() + s.size(), out);
    if (s == "t") return 1;  // PostgreSQL boolean text
    return out;
  }
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (v.is_real()) return v.as_real();
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_text()) {
    double out = 0;
    const auto& s = v.as_text();
    std::from_chars(s.data(), s.data() + s.size(), out);
    return out;
  }
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (v.is_text()) return v.as_text();
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_real()) return std::to_string(v.as_real());
  return "";
}

std::string Row::Bytes(size_t i) const {
  const Value& v = values_.at(i);
  if (v.is_blob()) return v.as_blob();
  if (!v.is_text()) return "";
  const std::string& s = v.as_text();
  if (s.size() < 2 || s[0] != '\\' || s[1] != 'x') return s;
  auto nibble = [](char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  };
  std::string out((s.size() - 2) / 2, '\0');
  for (size_t k = 0; k < out.size(); ++k) {
    out[k] = static_cast<char>(nibble(s[2 + 2 * k]) << 4 | nibble(s[3 + 2 * k]));
  }
  return out;
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, const Params& params) {
  auto rows = Query(sql, params);
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows->front()));
}

Result<std::unique_ptr<Store>> Store::Open(std::string_view url, int pool_size) {
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return OpenPostgres(url, pool_size);
  }
  if (url.starts_with("sqlite:")) url.remove_prefix(7);
  if (url.empty()) return Error::Invalid("--db: empty SQLite path");
  return OpenSqlite(url, pool_size);
}

Result<std::unique_ptr<Store::Conn>> Store::Acquire() {
  auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < pool_size_; });
  stats_.wait_ms += std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  ++open_;
  lock.unlock();
  auto conn = NewConn();
  if (!conn.ok()) {
    std::lock_guard<std::mutex> relock(mu_);
    --open_;
    cv_.notify_one();
  }
  return conn;
}

void Store::Release(std::unique_ptr<Conn> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  cv_.notify_one();
}

}  // namespace plinth::store
