-- wrk script of bench/routing-bench.sh: GET /oauth/authorize routed by one of ROUTING_ORGANIZATIONS seeded domains
-- (org<i>.<ROUTING_SUFFIX>, i random per request), given as `domain=` or as `login_hint=user@…` (ROUTING_SELECTOR).
-- ROUTING_PATH is the rest of the request (ending in &). Every answer must send the browser to ROUTING_EXPECT (the
-- IdP's SSO URL): a 302 there (HTTP-Redirect binding) or a 200 auto-post form to it (HTTP-POST binding, Gatehouse's
-- default); anything else, and every socket error, counts as bad.
-- done() prints one line: client: requests=… rps=… p50_ms=… p90_ms=… p99_ms=… p999_ms=… max_ms=… bad=…
local organizations = tonumber(os.getenv("ROUTING_ORGANIZATIONS"))
local path = os.getenv("ROUTING_PATH")
local selector = os.getenv("ROUTING_SELECTOR") or "domain"
local suffix = os.getenv("ROUTING_SUFFIX")
local expect = os.getenv("ROUTING_EXPECT")

local threads = {}

function setup(thread)
  thread:set("seed", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
end

function request()
  local i = math.random(0, organizations - 1)
  local value = "org" .. i .. "." .. suffix
  if selector == "login_hint" then
    value = "user%40" .. value
  end
  return wrk.format("GET", path .. selector .. "=" .. value)
end

bad = 0
first_bad = nil

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  local redirected = status == 302 and string.sub(location, 1, #expect) == expect
  local posted = status == 200 and string.find(body or "", 'action="' .. expect, 1, true) ~= nil
  if not (redirected or posted) then
    bad = bad + 1
    if first_bad == nil then
      first_bad = tostring(status) .. " " .. location .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  local example = nil
  for _, thread in ipairs(threads) do
    total_bad = total_bad + (thread:get("bad") or 0)
    example = example or thread:get("first_bad")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("client: requests=%d rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f bad=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, total_bad + errors))
  if example ~= nil then
    io.write("first bad answer: " .. example .. "\n")
  end
end
