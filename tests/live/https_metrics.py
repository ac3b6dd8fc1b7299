#!/usr/bin/env python3
"""tests/live/https_metrics.py CERTDIR - a metrics endpoint that speaks only HTTPS (as
plimsoll serve's own /metrics does), on a free loopback port it prints; serves a valid
exposition with the four golden signals until killed."""
import http.server, os, ssl, sys

BODY = b"""# TYPE app_requests_total counter
app_requests_total{code="200"} 3
# TYPE app_request_duration_seconds histogram
app_request_duration_seconds_bucket{le="0.1"} 3
app_request_duration_seconds_bucket{le="+Inf"} 3
app_request_duration_seconds_sum 0.05
app_request_duration_seconds_count 3
# TYPE app_in_flight_requests gauge
app_in_flight_requests 0
"""

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/metrics"
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        if ok:
            self.wfile.write(BODY)

    def log_message(self, *args):
        pass

certs = sys.argv[1]
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(certs, "server-cert.pem"), os.path.join(certs, "server-key.pem"))
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
