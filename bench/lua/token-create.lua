-- Token create: a child of the root token with the default policy and a one-hour TTL.
local common = require("common")
common.static("POST", "/v1/auth/token/create", '{"policies":["default"],"ttl":"1h"}', true)
