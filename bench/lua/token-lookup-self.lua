-- Token lookup-self, as a non-root service token (BENCH_TOKEN is the setup's child token).
local common = require("common")
common.static("GET", "/v1/auth/token/lookup-self", nil, true)
