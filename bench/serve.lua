-- bench/serve.lua - wrk script for bench/serve.sh: every request POSTs the same
-- AdmissionReview (REVIEW_FILE) to /validate. With PACE_MS set, each connection waits that
-- many milliseconds before its next request, so CONNECTIONS / (PACE_MS + latency) fixes the
-- offered rate; wrk measures latency from sending, so the wait is not counted in it.
local f = assert(io.open(os.getenv("REVIEW_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local pace = tonumber(os.getenv("PACE_MS") or "0")
if pace > 0 then
	function delay()
		return pace
	end
end
