-- Shared by scim-writes.lua and scim-filter.lua (loaded with dofile in every wrk thread).
-- track(status, body) counts non-2xx answers; report(summary, latency, extra) prints one line:
--   rps=<float> p50_ms=<float> p95_ms=<float> p99_ms=<float> non2xx=<int> <extra>
-- non2xx includes socket errors, so 0 means every request got a 2xx.

threads = {}
non2xx = 0
first_bad = nil

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (tid or 0))
end

function track(status, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == nil then
      first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

-- The sum over threads of a per-thread counter.
function total(name)
  local sum = 0
  for _, t in ipairs(threads) do
    sum = sum + (t:get(name) or 0)
  end
  return sum
end

function report(summary, latency, extra)
  local sample = nil
  for _, t in ipairs(threads) do
    sample = sample or t:get("first_bad")
  end
  if sample then
    io.stderr:write("first non-2xx response: " .. sample .. "\n")
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local rps = 0
  if secs > 0 then rps = summary.requests / secs end
  io.write(string.format("rps=%.2f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f non2xx=%d %s\n",
    rps, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    total("non2xx") + e.connect + e.read + e.write + e.timeout, extra or ""))
end
