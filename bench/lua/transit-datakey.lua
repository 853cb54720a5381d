-- Transit data key: a fresh 256-bit key, in plaintext and wrapped under "bench-aes".
local common = require("common")
common.static("POST", "/v1/transit/datakey/plaintext/bench-aes", '{"bits":256}', true)
