-- wrk script for bench/images.py: every request gets a URL of its own, so no result cache can answer it.
--
--   wrk ... -s bench/images.lua http://HOST:PORT/ -- TEMPLATE NONCE
--
-- TEMPLATE is the request path with "{cb}" where the cache-buster goes; it is replaced by
-- NONCE .. "t" .. thread .. "n" .. counter, unique within the run (NONCE makes it unique across runs).
-- The first error response of each thread (status and the start of its body) is printed at the end as
-- "first_error: ...", so a failing request can be reported.
--
-- It also prints "completed: N in S s": the responses of all threads and the time from the first request
-- to the last response. N / S is the rate at which the server got through the work; wrk's own
-- Requests/sec (responses within -d) reads low for a server that is slow to answer its first requests
-- or that finishes several at once (thumbor's processes each work through their connections together).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
local function now()
    ffi.C.clock_gettime(1, timespec)  -- CLOCK_MONOTONIC: one clock for all of wrk's threads
    return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) * 1e-9
end

threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("id", #threads)
end

function init(args)
    template = args[1]
    nonce = args[2] or "x"
    counter = 0
    completed = 0
end

function request()
    counter = counter + 1
    if first_request == nil then first_request = now() end
    local path = template:gsub("{cb}", nonce .. "t" .. id .. "n" .. counter)
    return wrk.format("GET", path)
end

function response(status, headers, body)
    completed = completed + 1
    last_response = now()
    if (status < 200 or status > 399) and first_error == nil then
        first_error = status .. " " .. string.sub(body or "", 1, 300):gsub("%s+", " ")
    end
end

function done(summary, latency, requests)
    local n, first, last = 0, nil, nil
    for _, thread in ipairs(threads) do
        local e = thread:get("first_error")
        if e then io.write("first_error: " .. e .. "\n") end
        n = n + (thread:get("completed") or 0)
        local f, l = thread:get("first_request"), thread:get("last_response")
        if f and (first == nil or f < first) then first = f end
        if l and (last == nil or l > last) then last = l end
    end
    if first and last and last > first then
        io.write(string.format("completed: %d in %.3f s\n", n, last - first))
    end
end
