-- wrk script: OAuth2 client_credentials token requests.
-- Credentials come from the environment (TOKEN_CLIENT_ID, TOKEN_CLIENT_SECRET)
-- so they never show up in `ps`. Every request is identical:
--   POST <url>  grant_type=client_credentials&client_id=..&client_secret=..
-- done() prints one line:  rps=<float> p50_ms=<float> p99_ms=<float> non2xx=<int>
-- non2xx counts responses outside 200..299 plus socket errors
-- (connect/read/write/timeout), so 0 means every request got a 2xx.

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local client_id = os.getenv("TOKEN_CLIENT_ID") or ""
local client_secret = os.getenv("TOKEN_CLIENT_SECRET") or ""

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = "grant_type=client_credentials&client_id=" .. urlencode(client_id) ..
           "&client_secret=" .. urlencode(client_secret)

-- per-thread state lives in each thread's own Lua VM; setup() keeps the thread
-- handles so done() can read the counters back.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

non2xx = 0
first_bad = nil

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == nil then
      first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local bad = 0
  local sample = nil
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
    sample = sample or t:get("first_bad")
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local secs = summary.duration / 1e6
  local rps = 0
  if secs > 0 then rps = summary.requests / secs end
  if sample then
    io.stderr:write("first non-2xx response: " .. sample .. "\n")
  end
  io.stderr:write(string.format(
    "requests=%d duration_s=%.2f errors connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, secs, e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("rps=%.2f p50_ms=%.3f p99_ms=%.3f non2xx=%d\n",
    rps, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    bad + socket_errors))
end
