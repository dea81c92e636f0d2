// The audit log, read-only: list with filters and a cursor, and chain verification.

#include <charconv>

#include "audit/audit.h"
#include "server/routes.h"

namespace plinth::server {

void AddAuditRoutes(Server& server, store::Store& store) {
  http::Router& r = server.router();
  r.Add({"GET", "/api/v1/audit", http::Access::kAuthenticated, "audit log, newest first",
         [&store](http::Request& req) -> Result<http::Response> {
           audit::ListQuery q;
           q.kind = req.Query("kind");
           q.name = req.Query("name");
           q.actor = req.Query("actor");
           PLINTH_ASSIGN_OR_RETURN(q.limit, PageLimit(req));
           if (auto cursor = req.Query("cursor")) {
             auto [p, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(),
                                            q.before_seq);
             if (ec != std::errc() || p != cursor->data() + cursor->size() || q.before_seq < 1) {
               return Error::Field("/cursor", "cursor: expected a value from next_cursor");
             }
           }
           PLINTH_ASSIGN_OR_RETURN(auto entries,
                                   store.Read([&](store::Tx& tx) { return audit::List(tx, q); }));
           Json items = Json::array();
           for (const auto& e : entries) items.push_back(e.ToJson());
           Json body = {{"items", std::move(items)}};
           body["next_cursor"] = int(entries.size()) == q.limit && !entries.empty()
                                     ? Json(std::to_string(entries.back().seq))
                                     : Json(nullptr);
           return http::Response::WithJson(200, std::move(body));
         }});
  r.Add({"GET", "/api/v1/audit/verify", http::Access::kAuthenticated,
         "recompute the audit hash chain",
         [&store](http::Request&) -> Result<http::Response> {
           PLINTH_ASSIGN_OR_RETURN(auto report, store.Read(audit::Verify));
           Json body = {{"ok", report.ok}, {"entries", report.entries}};
           if (!report.ok) {
             body["first_bad_seq"] = report.first_bad_seq;
             body["problem"] = report.problem;
           }
           return http::Response::WithJson(200, std::move(body));
         }});
}

}  // namespace plinth::server
