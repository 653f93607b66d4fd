-- wrk script for wenda: sends the benchmark questions in turn, to
-- GET /v1/search when WENDA_ENDPOINT is "search" (the default) or as
-- POST /v1/ask bodies when it is "ask". WENDA_QUESTIONS names a file of
-- questions, one per line ("wenda bench questions" prints them).
-- At the end it prints one line of figures for bench/serve.sh.

local endpoint = os.getenv("WENDA_ENDPOINT") or "search"
local file = os.getenv("WENDA_QUESTIONS") or "questions.txt"

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function jsonstring(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

local requests = {}
local i = 0

function init(args)
  for q in io.lines(file) do
    if q ~= "" then
      if endpoint == "ask" then
        requests[#requests + 1] = wrk.format("POST", "/v1/ask",
          { ["Content-Type"] = "application/json" }, '{"question":' .. jsonstring(q) .. '}')
      else
        requests[#requests + 1] = wrk.format("GET", "/v1/search?q=" .. urlencode(q))
      end
    end
  end
  if #requests == 0 then
    error("no questions in " .. file)
  end
end

function request()
  i = i % #requests + 1
  return requests[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
