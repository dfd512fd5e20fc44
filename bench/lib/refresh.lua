-- wrk script: refresh_token grants with rotation (bench/oidc-bench.sh). Every refresh token is sent exactly once.
-- Each thread starts with its share of pre-generated tokens (thread k of n takes lines k, k+n, k+2n, ... of
-- REFRESH_TOKENS; one token a line, at least one per connection) in a pool; a request takes a token out of the pool,
-- and a successful answer puts the rotated token it carries back in. So a token is never replayed (a replay would
-- be refused and revoke its grant on both servers), and the generator does no more than wrk's own work plus one
-- string search per answer. A connection that finds its thread's pool empty (only after failed answers, which
-- lose their chain) sends a token that cannot be valid, which shows up as an error.
-- Environment (secrets stay out of `ps`):
--   REFRESH_TOKENS  file of refresh tokens
--   REFRESH_THREADS wrk's -t
--   REFRESH_FORM    the rest of the form, URL-encoded: grant_type=refresh_token&client_id=…&client_secret=…
-- done() prints one line:  rps=<float> p50_ms=<float> p99_ms=<float> non2xx=<int>
-- non2xx counts answers outside 200..299, 2xx answers without a refresh_token, and socket errors.

local file = os.getenv("REFRESH_TOKENS")
local nthreads = tonumber(os.getenv("REFRESH_THREADS") or "1")
local form = os.getenv("REFRESH_FORM") or "grant_type=refresh_token"
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
}

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local pool = {}
non2xx = 0
first_bad = nil

local function urlencode(s)
  return (string.gsub(s, "[^%w%.%-_~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- wrk 4 calls the first thread's request() once before any connection exists, only to check the request: that
-- call must not take a token out of the pool (it is never sent).
local verifying = false

function init(args)
  verifying = tid == 1
  local k = 0
  for line in io.lines(file) do
    if #line > 0 then
      if k % nthreads == tid - 1 then
        table.insert(pool, line)
      end
      k = k + 1
    end
  end
end

local function form_for(token)
  return form .. "&refresh_token=" .. urlencode(token)
end

function request()
  if verifying then
    verifying = false
    return wrk.format("POST", nil, headers, form_for(pool[#pool] or "none"))
  end
  local token = table.remove(pool)
  if token == nil then
    token = "pool-empty" -- refused: counted as an error
  end
  return wrk.format("POST", nil, headers, form_for(token))
end

function response(status, headers, body)
  local token = nil
  if status >= 200 and status <= 299 then
    token = string.match(body or "", '"refresh_token"%s*:%s*"([^"]+)"')
  end
  if token then
    table.insert(pool, (string.gsub(token, "\\/", "/")))
  else
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
