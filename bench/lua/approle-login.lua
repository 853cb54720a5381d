-- AppRole login with the role id and secret id the setup step created (no token header).
local common = require("common")
local body = string.format('{"role_id":"%s","secret_id":"%s"}',
  os.getenv("BENCH_ROLE_ID"), os.getenv("BENCH_SECRET_ID"))
common.static("POST", "/v1/auth/approle/login", body, false)
