-- KV v2 read: the latest version of one small secret.
local common = require("common")
common.static("GET", "/v1/kv/data/bench/read", nil, true)
