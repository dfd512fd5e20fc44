-- wrk script: one fixed request, repeated. Everything comes from the environment, so
-- credentials and tokens never show up in `ps`:
--   LOAD_METHOD         GET or POST (default GET)
--   LOAD_BODY           form body (already URL-encoded), sent as application/x-www-form-urlencoded
--   LOAD_AUTHORIZATION  value of the Authorization header (e.g. "Bearer ey…" or "Basic …")
--   LOAD_EXPECT         a string every 2xx answer must contain (e.g. "active":true), else it counts as bad
-- done() prints one line:  rps=<float> p50_ms=<float> p99_ms=<float> non2xx=<int>
-- non2xx counts responses outside 200..299, 2xx answers without LOAD_EXPECT, and socket
-- errors (connect/read/write/timeout), so 0 means every request got the expected answer.

local body = os.getenv("LOAD_BODY") or ""
local authorization = os.getenv("LOAD_AUTHORIZATION") or ""
local expect = os.getenv("LOAD_EXPECT") or ""

wrk.method = os.getenv("LOAD_METHOD") or "GET"
wrk.headers["Accept"] = "application/json"
if body ~= "" then
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = body
end
if authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end

-- per-thread state lives in each thread's own Lua VM; setup() keeps the thread
-- handles so done() can read the counters back.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

non2xx = 0
first_bad = nil

function response(status, headers, body)
  local ok = status >= 200 and status <= 299
  if ok and expect ~= "" and not string.find(body or "", expect, 1, true) then
    ok = false
  end
  if not ok then
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
    io.stderr:write("first unexpected response: " .. sample .. "\n")
  end
  io.stderr:write(string.format(
    "requests=%d duration_s=%.2f errors connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, secs, e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("rps=%.2f p50_ms=%.3f p99_ms=%.3f non2xx=%d\n",
    rps, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    bad + socket_errors))
end
