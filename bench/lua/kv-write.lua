-- KV v2 write: every request writes a new version of one of 64 secrets per wrk thread
-- (kv/data/bench/write/<thread>-<n mod 64>), with a body that changes each time.
local common = require("common")
local headers = common.headers(true)
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local path = string.format("/v1/kv/data/bench/write/%d-%d", id, counter % 64)
  local body = string.format('{"data":{"counter":"%d","value":"%s"}}', counter, common.PLAINTEXT)
  return wrk.format("POST", path, headers, body)
end
