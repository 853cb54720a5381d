-- Transit decrypt: the ciphertext of the 64-byte plaintext, made by the setup step.
local common = require("common")
local body = '{"ciphertext":"' .. os.getenv("BENCH_CIPHERTEXT") .. '"}'
common.static("POST", "/v1/transit/decrypt/bench-aes", body, true)
