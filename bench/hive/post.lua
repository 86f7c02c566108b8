-- wrk script: POST the GraphQL body in $BODY (or GET the URL as given when $BODY is empty),
-- then print one machine-readable line: requests, duration (us), p50/p99 latency (us),
-- non-2xx answers and socket errors.
local body = os.getenv("BODY")
if body ~= nil and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
