-- wrk script for bench/proxy.py: prints one JSON line with the figures it needs.
-- With WRK_UNIQUE=1 in the environment every request gets its own query string,
-- so that no cache can answer it (without it wrk builds the request once, and
-- stays as fast as it can be).

if os.getenv("WRK_UNIQUE") == "1" then
  local threads = 0
  local counter = 0

  function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
  end

  function request()
    counter = counter + 1
    local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. separator .. "n=" .. id .. "-" .. counter)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %f, "p50_us": %d, "p99_us": %d, '
      .. '"socket_errors": %d, "bad_status": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status
  ))
end
