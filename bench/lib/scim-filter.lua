-- wrk script: GET /Users?filter=userName eq "user<N>@bench.example" with N random in 1..BENCH_USERS, the lookup an
-- IdP makes before every create. misses counts answers without exactly one resource (0 when the seed is right).
-- Environment: SCIM_TOKEN, SCIM_PATH, BENCH_USERS, BENCH_LIB.
dofile(os.getenv("BENCH_LIB") .. "/scim-report.lua")

local path = os.getenv("SCIM_PATH")
local users = tonumber(os.getenv("BENCH_USERS") or "100000")
local headers = {
  ["Authorization"] = "Bearer " .. (os.getenv("SCIM_TOKEN") or ""),
  ["Accept"] = "application/scim+json",
}
misses = 0

request = function()
  local n = math.random(users)
  return wrk.format("GET", path .. "/Users?filter=userName%20eq%20%22user" .. n .. "%40bench.example%22", headers)
end

response = function(status, headers, body)
  track(status, body)
  if status == 200 and not string.find(body, '"totalResults":1,', 1, true) then
    misses = misses + 1
  end
end

function done(summary, latency, requests)
  report(summary, latency, string.format("misses=%d", total("misses")))
end
