#include "finops/line_items.h"

#include <map>
#include <string_view>
#include <utility>

#include "base/crypto.h"

namespace plinth::finops {
namespace {

constexpr int64_t kAbandonedAfterMs = 10 * 60 * 1000;

const char* TypeName(cost::ColumnType t) {
  switch (t) {
    case cost::ColumnType::kString: return "string";
    case cost::ColumnType::kDecimal: return "decimal";
    case cost::ColumnType::kTime: return "time";
  }
  return "string";
}

// Writes each segment an ingest hands over as staged rows of this import, one transaction per
// segment, so the database never holds a transaction open for the whole import.
class StagingSink : public cost::IngestSink {
 public:
  StagingSink(store::Store& store, const Clock& clock, std::string import_id)
      : store_(store), clock_(clock), import_id_(std::move(import_id)) {}

  Status Accept(const cost::PartitionKey& key, cost::Segment segment) override {
    Json columns = Json::array();
    for (const auto& c : segment.columns()) columns.push_back({c.name, TypeName(c.type)});
    auto& partition = partitions_[{key.billing_account_id, key.billing_period_start_s}];
    return store_.Write([&](store::Tx& tx) -> Status {
      if (partition.id.empty()) {
        std::string id = RandomHex(8);
        PLINTH_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO cost_partitions (id, import_id, billing_account_id, "
            "billing_period_start_s) VALUES (?, ?, ?, ?)",
            {id, import_id_, key.billing_account_id, key.billing_period_start_s}));
        partition.id = id;
      }
      std::string segment_id = RandomHex(8);
      PLINTH_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO cost_segments (id, partition_id, seq, rows, columns) "
                  "VALUES (?, ?, ?, ?, ?)",
                  {segment_id, partition.id, partition.segments, int64_t(segment.rows()),
                   columns.dump()}));
      for (const auto& c : segment.columns()) {
        PLINTH_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO cost_segment_columns (segment_id, name, data) VALUES (?, ?, ?)",
            {segment_id, c.name, store::Blob{segment.SerializeColumn(c.name)}}));
      }
      PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE cost_partitions SET rows = rows + ? WHERE id = ?",
                                     {int64_t(segment.rows()), partition.id}));
      PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE cost_imports SET heartbeat_ms = ? WHERE id = ?",
                                     {clock_.NowMs(), import_id_}));
      partition.segments++;
      partition.rows += int64_t(segment.rows());
      return Status{};
    });
  }

  struct Staged {
    std::string id;
    int64_t segments = 0;
    int64_t rows = 0;
  };
  const std::map<std::pair<std::string, int64_t>, Staged>& partitions() const {
    return partitions_;
  }

 private:
  store::Store& store_;
  const Clock& clock_;
  const std::string import_id_;
  std::map<std::pair<std::string, int64_t>, Staged> partitions_;
};

Status Finish(store::Store& store, const Clock& clock, const std::string& import_id,
              std::string_view state, const Json& report, const cost::IngestReport* counts) {
  return store.Write([&](store::Tx& tx) -> Status {
    if (state != "applied") {  // the staged rows go with their partitions
      PLINTH_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM cost_partitions WHERE import_id = ? AND active = 0", {import_id}));
    }
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "UPDATE cost_imports SET state = ?, report = ?, format = ?, rows_read = ?, "
        "rows_accepted = ?, rows_rejected = ?, finished_ms = ? WHERE id = ?",
        {std::string(state), report.dump(), counts ? counts->format : std::string(),
         counts ? counts->rows_read : 0, counts ? counts->rows_accepted : 0,
         counts ? counts->rows_rejected : 0, clock.NowMs(), import_id}));
    return Status{};
  });
}

}  // namespace

Json ReportJson(const cost::IngestReport& r) {
  Json totals = Json::array();
  for (const auto& t : r.totals) {
    totals.push_back({{"billingAccountId", t.billing_account_id},
                      {"billingAccountName", t.billing_account_name},
                      {"currency", t.currency},
                      {"rows", t.rows},
                      {"billedCost", t.billed.ToExactString()},
                      {"effectiveCost", t.effective.ToExactString()},
                      {"listCost", t.list.ToExactString()},
                      {"contractedCost", t.contracted.ToExactString()}});
  }
  Json rejected = Json::array();
  for (const auto& x : r.rejected) {
    rejected.push_back({{"file", x.file}, {"line", x.line}, {"reason", x.reason}});
  }
  return {{"format", r.format},         {"rowsRead", r.rows_read},
          {"rowsAccepted", r.rows_accepted}, {"rowsRejected", r.rows_rejected},
          {"rejected", rejected},       {"totals", totals},
          {"warnings", r.warnings}};
}

Result<ImportOutcome> ImportFiles(store::Store& store, const Clock& clock,
                                  std::span<const std::string> paths, const ImportOptions& options,
                                  const cost::ProgressFn& progress) {
  ImportOutcome out;
  out.import_id = RandomHex(8);
  Json files = Json::array();
  for (const auto& p : paths) files.push_back(p);
  int64_t now = clock.NowMs();
  PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO cost_imports (id, state, files, actor, started_ms, heartbeat_ms) "
        "VALUES (?, 'staging', ?, ?, ?, ?)",
        {out.import_id, files.dump(), options.actor, now, now}));
    return Status{};
  }));

  StagingSink sink(store, clock, out.import_id);
  auto report = cost::IngestFiles(paths, sink, progress);
  if (!report.ok()) {
    Json failed = {{"error", report.error().ToString()}};
    PLINTH_RETURN_IF_ERROR(Finish(store, clock, out.import_id, "failed", failed, nullptr));
    return std::move(report).error();
  }
  out.report = std::move(report).value();
  if (out.report.rows_rejected > 0 && !options.skip_invalid) {
    PLINTH_RETURN_IF_ERROR(
        Finish(store, clock, out.import_id, "failed", ReportJson(out.report), &out.report));
    return out;
  }

  // Make the staged partitions visible and drop the ones they replace, all at once.
  PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
    out.partitions.clear();
    for (const auto& [key, staged] : sink.partitions()) {
      PLINTH_ASSIGN_OR_RETURN(
          int64_t dropped,
          tx.Exec("DELETE FROM cost_partitions WHERE billing_account_id = ? AND "
                  "billing_period_start_s = ? AND active = 1",
                  {key.first, key.second}));
      PLINTH_RETURN_IF_ERROR(
          tx.Exec("UPDATE cost_partitions SET active = 1 WHERE id = ?", {staged.id}));
      out.partitions.push_back({key.first, key.second, staged.rows, dropped > 0});
    }
    PLINTH_RETURN_IF_ERROR(
        tx.Exec("UPDATE cost_versions SET value = value + 1 WHERE name = 'line_items'"));
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "UPDATE cost_imports SET state = 'applied', report = ?, format = ?, rows_read = ?, "
        "rows_accepted = ?, rows_rejected = ?, finished_ms = ? WHERE id = ?",
        {ReportJson(out.report).dump(), out.report.format, out.report.rows_read,
         out.report.rows_accepted, out.report.rows_rejected, clock.NowMs(), out.import_id}));
    return Status{};
  }));
  out.applied = true;
  return out;
}

Result<int64_t> CleanAbandonedImports(store::Store& store, const Clock& clock) {
  return store.Write([&](store::Tx& tx) -> Result<int64_t> {
    PLINTH_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT id FROM cost_imports WHERE state = 'staging' AND "
                            "heartbeat_ms < ?",
                            {clock.NowMs() - kAbandonedAfterMs}));
    for (const auto& row : rows) {
      PLINTH_RETURN_IF_ERROR(tx.Exec(
          "DELETE FROM cost_partitions WHERE import_id = ? AND active = 0", {row.Text(0)}));
      PLINTH_RETURN_IF_ERROR(tx.Exec(
          "UPDATE cost_imports SET state = 'failed', finished_ms = ?, report = ? WHERE id = ?",
          {clock.NowMs(), Json{{"error", "abandoned: the importing process stopped"}}.dump(),
           row.Text(0)}));
    }
    return int64_t(rows.size());
  });
}

Result<Json> ListImports(store::Store& store, int limit) {
  return store.Read([&](store::Tx& tx) -> Result<Json> {
    PLINTH_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT id, state, files, format, rows_read, rows_accepted, rows_rejected, "
                 "report, actor, started_ms, finished_ms FROM cost_imports "
                 "ORDER BY started_ms DESC, id LIMIT ?",
                 {limit}));
    Json out = Json::array();
    for (const auto& r : rows) {
      out.push_back({{"id", r.Text(0)},
                     {"state", r.Text(1)},
                     {"files", Json::parse(r.Text(2), nullptr, false)},
                     {"format", r.Text(3)},
                     {"rowsRead", r.Int(4)},
                     {"rowsAccepted", r.Int(5)},
                     {"rowsRejected", r.Int(6)},
                     {"report", Json::parse(r.Text(7), nullptr, false)},
                     {"actor", r.Text(8)},
                     {"startedMs", r.Int(9)},
                     {"finishedMs", r.OptInt(10) ? Json(*r.OptInt(10)) : Json()}});
    }
    return out;
  });
}

Result<int64_t> LineItemsVersion(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto row,
                          tx.QueryOne("SELECT value FROM cost_versions WHERE name = 'line_items'"));
  return row ? row->Int(0) : 0;
}

}  // namespace plinth::finops
