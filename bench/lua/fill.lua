-- Pre-fill for the startup measurement. BENCH_FILL_KIND "kv" writes one new KV v2 secret per
-- request (kv/data/fill/<n mod 1000>/<n>), "token" creates one child token (768h TTL).
-- wrk only stops on its duration, so after BENCH_FILL_COUNT successes (or 1000 failures) the
-- thread writes its counts to BENCH_FILL_REPORT and ends the process (run with -t1).
local common = require("common")
local headers = common.headers(true)
local kind = os.getenv("BENCH_FILL_KIND")
local limit = tonumber(os.getenv("BENCH_FILL_COUNT"))
local sent, ok, failed = 0, 0, 0

function request()
  sent = sent + 1
  if kind == "kv" then
    local path = string.format("/v1/kv/data/fill/%d/%d", sent % 1000, sent)
    return wrk.format("POST", path, headers, string.format('{"data":{"n":"%d"}}', sent))
  end
  local body = '{"policies":["default"],"ttl":"768h"}'
  return wrk.format("POST", "/v1/auth/token/create", headers, body)
end

function response(status, response_headers, body)
  if status < 300 then
    ok = ok + 1
  else
    failed = failed + 1
  end
  if ok >= limit or failed > 1000 then
    local report = io.open(os.getenv("BENCH_FILL_REPORT"), "w")
    report:write(string.format('{"ok":%d,"failed":%d}', ok, failed))
    report:close()
    os.exit(0)
  end
end
