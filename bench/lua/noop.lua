-- No-op floor: GET /v1/sys/health without a token, the cheapest request both servers answer.
local common = require("common")
common.static("GET", "/v1/sys/health", nil, false)
