-- wrk script of the load benchmark (bench/load.sh). Each wrk thread reads the request file named
-- after "--" (one request per line: body, then header name and value pairs, tab-separated; see
-- bench/load/requests.py) and cycles through it. done() writes the run's totals and latency
-- percentiles as one JSON object to $BENCH_RESULT.

local requests = {}
local next_index = 0
local threads = 0

-- Threads start at different places of the pool.
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 17)
end

function init(args)
  for line in io.lines(args[1]) do
    local fields = {}
    for field in string.gmatch(line, "[^\t]+") do
      fields[#fields + 1] = field
    end
    local headers = {}
    for k = 2, #fields - 1, 2 do
      headers[fields[k]] = fields[k + 1]
    end
    requests[#requests + 1] = wrk.format("POST", nil, headers, fields[1])
  end
  next_index = (offset or 0) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, _)
  local e = summary.errors
  local out = io.open(os.getenv("BENCH_RESULT"), "w")
  out:write(string.format(
    '{"requests":%d,"duration_us":%d,"errors_connect":%d,"errors_read":%d,'
      .. '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,'
      .. '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p99_9":%d,"max":%d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
  out:close()
end
