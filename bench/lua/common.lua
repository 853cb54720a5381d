-- Shared by every workload script; wrk runs with bench/lua as its working directory, so
-- `require("common")` finds this file. The harness passes tokens and ids in the environment.
local common = {}

-- The 64-byte plaintext (bytes 0..63), base64: the same value as bench/workloads.py.
common.PLAINTEXT = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="

-- Headers of every request: JSON, plus X-Vault-Token from BENCH_TOKEN unless told otherwise.
function common.headers(with_token)
  local headers = { ["Content-Type"] = "application/json" }
  if with_token then
    headers["X-Vault-Token"] = os.getenv("BENCH_TOKEN")
  end
  return headers
end

-- One fixed request, formatted once by wrk itself (no Lua runs per request).
function common.static(method, path, body, with_token)
  wrk.method = method
  wrk.path = path
  wrk.body = body
  for name, value in pairs(common.headers(with_token)) do
    wrk.headers[name] = value
  end
end

-- One line for the harness: counts, errors (status = answers >= 400) and latency in µs.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
      .. '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end

return common
