-- wrk script for the genserve load benchmark (BenchmarkSuite section 5).
-- POSTs the JSON body in $BENCH_BODY to the sample endpoint given on the wrk command line.
-- $BENCH_MAX_REQUESTS (optional, per wrk thread): stop after that many responses (used with -t1 to serve an exact
-- number of requests before reading the server's RSS). done() prints one line "BENCH_JSON {...}" with the request
-- count, duration, latency percentiles (microseconds) and error counts, which the suite parses.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"n":100}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local limit = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0") or 0
if limit > 0 then
  local count = 0
  function response(status, headers, body)
    count = count + 1
    if count >= limit then
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"mean_us":%.1f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
