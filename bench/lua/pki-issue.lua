-- PKI issue: an ECDSA P-256 certificate and key for svc.bench.example under the role "bench".
local common = require("common")
local body = '{"common_name":"svc.bench.example","ttl":"1h"}'
common.static("POST", "/v1/pki/issue/bench", body, true)
