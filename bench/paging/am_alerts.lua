-- wrk: the alert stream of enqueue.lua for Alertmanager's own API: POST /api/v2/alerts with one
-- alert per request, every alert with new labels ("<run>-<thread>-<n>" as its dedup label).
-- Environment: RUN (a prefix that keeps alerts of successive runs apart).
local run = os.getenv("RUN") or "run"
local threads = 0
local n = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function request()
  n = n + 1
  local body = string.format(
    '[{"labels":{"alertname":"BenchAlert","dedup":"%s-%d-%d","instance":"host-%d",' ..
    '"severity":"warning","component":"disk"},' ..
    '"annotations":{"summary":"bench alert %d on host-%d","free_bytes":"%d"}}]',
    run, tid, n, n % 100, n, n % 100, n * 7)
  return wrk.format("POST", "/api/v2/alerts", {["Content-Type"] = "application/json"}, body)
end
