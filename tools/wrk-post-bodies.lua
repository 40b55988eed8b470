-- wrk script: POST the JSON body files named after `--`, one after another, cycling.
-- Headers given with -H (e.g. Authorization) are kept; Content-Type is set to JSON.
--
--   wrk -t2 -c16 -d30s --latency -s tools/wrk-post-bodies.lua \
--       -H 'Authorization: Bearer isk_…' http://127.0.0.1:8080/api/v1/analyze -- a.json b.json
--
-- Requests are formatted once in init(), so the per-request cost is a table lookup.

local requests = {}
local i = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  for _, path in ipairs(args) do
    local f = assert(io.open(path, "rb"))
    local body = f:read("*a")
    f:close()
    requests[#requests + 1] = wrk.format(nil, nil, nil, body)
  end
  if #requests == 0 then
    error("name the JSON body files after --")
  end
end

function request()
  i = i % #requests + 1
  return requests[i]
end
