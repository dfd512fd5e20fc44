-- wrk script: the SAML ACS benchmark (bench/acs-bench.sh). Posts pre-generated signed responses, each exactly once:
-- thread k of n takes lines k, k+n, k+2n, ... of ACS_BODIES (one URL-encoded form body a line, distinct assertion
-- IDs). No response is ever replayed: a connection whose thread's share is used up sends nothing more (delay());
-- once the thread's last POST is answered, the thread appends a line to ACS_DONE (acs-bench.sh ends wrk with SIGINT
-- once every thread has). The run's time is measured here (/proc/uptime, 10 ms resolution) from the
-- first request to the last answer, so wrk's fixed -d does not dilute the rate.
-- Environment: ACS_BODIES (file), ACS_DONE (file), ACS_PATH (/sso/v1/saml/<id>/callback), ACS_THREADS (wrk's -t),
-- ACS_EXPECT: "token" (302 to the default redirect URI with idp_initiated_login=) or "validate" (400: validated,
-- then refused for want of a redirect target).
-- done() prints one line:
--   rps=<float> p50_ms=<float> p95_ms=<float> p99_ms=<float> non2xx=<int> accepted=<int> unexpected=<int> sent=<int> seconds=<float>
-- where rps is accepted responses per second of the whole run, non2xx = unexpected answers + socket errors
-- (the name is kept for bench/lib/load.sh), and sent counts the responses posted.

local path = os.getenv("ACS_PATH")
local file = os.getenv("ACS_BODIES")
local nthreads = tonumber(os.getenv("ACS_THREADS") or "1")
local expect = os.getenv("ACS_EXPECT") or "token"
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local bodies = {}
local next_body = 1
local answered = 0
local finished = false
accepted = 0
unexpected = 0
sent = 0
first_bad = nil
started = nil
ended = nil

local function uptime()
  local f = io.open("/proc/uptime")
  local t = f:read("*n")
  f:close()
  return t
end

-- wrk 4 calls the first thread's request() once before any connection exists, only to check the request: that
-- call must not use up a body (were it a real request, the body would go out twice and show as a refused replay).
local verifying = false

function init(args)
  verifying = tid == 1
  local k = 0
  for line in io.lines(file) do
    if k % nthreads == tid - 1 and #line > 0 then
      table.insert(bodies, line)
    end
    k = k + 1
  end
end

-- wrk asks delay() right before each request of a connection (a timer hop apart, so several connections can be
-- between the two calls): a body is reserved here, and a connection that finds none left stays idle.
local reserved = 0
function delay()
  if reserved >= #bodies then
    return 600000 -- idle until wrk is ended
  end
  reserved = reserved + 1
  return 0
end

function request()
  local body = bodies[next_body]
  if verifying and body ~= nil then
    verifying = false
    return wrk.format("POST", path, headers, body)
  end
  if body == nil then
    return wrk.format("GET", "/readyz")
  end
  if started == nil then
    started = uptime()
  end
  next_body = next_body + 1
  sent = sent + 1
  return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
  if answered >= sent or (status == 200 and string.find(body or "", "^ready")) then
    return -- not an answer to a POST (/readyz, should a connection ever find no body)
  end
  answered = answered + 1
  local location = hdrs["location"] or hdrs["Location"] or ""
  local ok
  if expect == "token" then
    ok = status == 302 and string.find(location, "idp_initiated_login=", 1, true) ~= nil
  else
    ok = status == 400
  end
  if ok then
    accepted = accepted + 1
  else
    unexpected = unexpected + 1
    if first_bad == nil then
      first_bad = tostring(status) .. " " .. location .. " " .. string.sub(body or "", 1, 300)
    end
  end
  if answered == #bodies and not finished then
    finished = true
    ended = uptime()
    local f = io.open(os.getenv("ACS_DONE"), "a")
    f:write(tostring(tid) .. "\n")
    f:close()
  end
end

local function total(name)
  local sum = 0
  for _, t in ipairs(threads) do
    sum = sum + (t:get(name) or 0)
  end
  return sum
end

function done(summary, latency, requests)
  local sample = nil
  for _, t in ipairs(threads) do
    sample = sample or t:get("first_bad")
  end
  if sample then
    io.stderr:write("first unexpected answer: " .. sample .. "\n")
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local first, last = nil, nil
  for _, t in ipairs(threads) do
    local a, b = t:get("started"), t:get("ended")
    if a and (first == nil or a < first) then first = a end
    if b and (last == nil or b > last) then last = b end
  end
  local secs = summary.duration / 1e6
  if first and last and last > first then secs = last - first end
  local ok = total("accepted")
  local rps = 0
  if secs > 0 then rps = ok / secs end
  io.write(string.format("rps=%.2f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f non2xx=%d accepted=%d unexpected=%d sent=%d seconds=%.2f\n",
    rps, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, total("unexpected") + socket_errors,
    ok, total("unexpected"), total("sent"), secs))
end
