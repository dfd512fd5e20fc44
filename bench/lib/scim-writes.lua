-- wrk script: SCIM writes. Odd requests of a connection create a user (POST /Users), even ones PATCH a user this
-- thread created earlier (givenName and title replaced; every tenth PATCH deactivates, the others (re)activate).
-- Every write also links the environment user and writes its event to the outbox, in one transaction.
-- Environment: SCIM_TOKEN, SCIM_PATH (/directory/<id>/scim/v2), BENCH_RUN (unique per run), BENCH_LIB.
dofile(os.getenv("BENCH_LIB") .. "/scim-report.lua")

local path = os.getenv("SCIM_PATH")
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local headers = {
  ["Authorization"] = "Bearer " .. (os.getenv("SCIM_TOKEN") or ""),
  ["Content-Type"] = "application/scim+json",
  ["Accept"] = "application/scim+json",
}
local created = {}
local n = 0
creates = 0
patches = 0

request = function()
  n = n + 1
  if n % 2 == 1 or #created == 0 then
    creates = creates + 1
    local name = "w" .. run .. "-" .. tostring(tid) .. "-" .. n .. "@bench.example"
    return wrk.format("POST", path .. "/Users", headers, string.format(
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","active":true,' ..
      '"name":{"givenName":"Bench","familyName":"User %d"},"emails":[{"value":"%s","type":"work","primary":true}]}',
      name, n, name))
  end
  patches = patches + 1
  local id = created[math.random(#created)]
  return wrk.format("PATCH", path .. "/Users/" .. id, headers, string.format(
    '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[' ..
    '{"op":"replace","path":"name.givenName","value":"G%d"},{"op":"replace","path":"title","value":"T%d"},' ..
    '{"op":"replace","path":"active","value":%s}]}', n, n, (n % 20 == 0) and "false" or "true"))
end

response = function(status, headers, body)
  track(status, body)
  if status == 201 then
    local id = string.match(body, '"id":"(diruser_[0-9]+)"')
    if id then table.insert(created, id) end
  end
end

function done(summary, latency, requests)
  report(summary, latency, string.format("creates=%d patches=%d", total("creates"), total("patches")))
end
