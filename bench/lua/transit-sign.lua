-- Transit sign: an ed25519 signature over 64 bytes with the key "bench-ed".
local common = require("common")
local body = '{"input":"' .. common.PLAINTEXT .. '"}'
common.static("POST", "/v1/transit/sign/bench-ed", body, true)
