-- Transit encrypt: 64 bytes of plaintext under the aes256-gcm96 key "bench-aes".
local common = require("common")
local body = '{"plaintext":"' .. common.PLAINTEXT .. '"}'
common.static("POST", "/v1/transit/encrypt/bench-aes", body, true)
