-- wrk script: rotates session cookies per request (one per simulated user), counts
-- answers other than 200 and prints one machine-readable line at the end.
--   wrk ... -s bench/stats.lua URL -- "sessionid=a" "sessionid=b" ...
-- With "browse=PAGES" and "sorts=a,b" among the arguments, each request asks for a random
-- page in 1..PAGES of the URL's path with a random one of the sorts (?page=N&sort=S).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

cookies = {}
counter = 0
not_ok = 0
browse_pages = 0
sorts = {}

function init(args)
  for _, value in ipairs(args) do
    local pages = string.match(value, "^browse=(%d+)$")
    local sort_list = string.match(value, "^sorts=(.+)$")
    if pages then
      browse_pages = tonumber(pages)
    elseif sort_list then
      for sort in string.gmatch(sort_list, "[^,]+") do
        table.insert(sorts, sort)
      end
    else
      table.insert(cookies, value)
    end
  end
  math.randomseed(os.time() + #cookies)
end

function request()
  counter = counter + 1
  if #cookies > 0 then
    wrk.headers["Cookie"] = cookies[(counter % #cookies) + 1]
  end
  if browse_pages > 0 then
    local path = wrk.path .. "?page=" .. math.random(1, browse_pages)
    if #sorts > 0 then
      path = path .. "&sort=" .. sorts[math.random(1, #sorts)]
    end
    return wrk.format(nil, path)
  end
  return wrk.format()
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("not_ok") or 0)
  end
  io.write(string.format(
    'BENCH_WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, "not_200": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, bad))
end
