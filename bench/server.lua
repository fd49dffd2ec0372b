-- server.lua — wrk script for bench/bench_server.sh: GET /search with
-- real names, rotating through the file named by $CORDON_QUERIES (one
-- name a line, or a line starting with "/": that path as it is), each thread starting at a different place; sends the API
-- key from $CORDON_KEY; counts every answer that is not 200 and every
-- socket error as a failed request, and prints the count at the end.
local queries = {}
local key = os.getenv("CORDON_KEY") or ""
local threads = {}
local counter = 0

local function encode(s)
  s = s:gsub("([^%w%-%.%_%~ ])", function(c) return string.format("%%%02X", string.byte(c)) end)
  return (s:gsub(" ", "+"))
end

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("CORDON_QUERIES"), "r"))
  for line in f:lines() do
    if line:sub(1, 1) == "/" then
      table.insert(queries, line) -- a whole path and query, as given
    elseif #line > 0 then
      table.insert(queries, "/search?q=" .. encode(line))
    end
  end
  f:close()
  i = (id or 1) * 7919
  bad = 0
  statuses = {}
  wrk.headers["X-API-Key"] = key
end

function request()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("bad") end
  local e = summary.errors
  local sock = e.connect + e.read + e.write + e.timeout
  io.write(string.format("requests: %d, failed: %d (not 200: %d, socket errors: %d)\n",
    summary.requests, failed + sock, failed, sock))
  io.write(string.format("throughput: %.0f requests/s\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
