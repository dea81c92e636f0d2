-- wrk: PagerDuty Events API v2 trigger events to /v2/enqueue, one request each, every event
-- with a new dedup key ("<run>-<thread>-<n>"). Environment: ROUTING_KEY (the integration key),
-- RUN (a prefix that keeps keys of successive runs apart).
local key = os.getenv("ROUTING_KEY")
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
    '{"routing_key":"%s","event_action":"trigger","dedup_key":"%s-%d-%d",' ..
    '"payload":{"summary":"bench alert %d on host-%d","source":"host-%d","severity":"warning",' ..
    '"component":"disk","custom_details":{"free_bytes":%d}}}',
    key, run, tid, n, n, n % 100, n % 100, n * 7)
  return wrk.format("POST", "/v2/enqueue", {["Content-Type"] = "application/json"}, body)
end
