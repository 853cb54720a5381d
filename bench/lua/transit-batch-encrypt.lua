-- Transit batch encrypt: 100 items of 64 bytes each in one request.
local common = require("common")
local items = {}
for i = 1, 100 do
  items[i] = '{"plaintext":"' .. common.PLAINTEXT .. '"}'
end
local body = '{"batch_input":[' .. table.concat(items, ",") .. ']}'
common.static("POST", "/v1/transit/encrypt/bench-aes", body, true)
