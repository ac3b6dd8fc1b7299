#!/usr/bin/env python3
"""tests/live/tls_proxy.py CERTDIR SOCKET - a TLS endpoint on a free loopback port in front
of the Docker Engine's unix socket, requiring a client certificate signed by CERTDIR/ca.pem
(server-cert.pem and server-key.pem are its own), as `dockerd --tlsverify` does. Prints the
port, then relays each connection both ways until killed."""
import os, socket, ssl, sys, threading

certs, target = sys.argv[1], sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain(os.path.join(certs, "server-cert.pem"), os.path.join(certs, "server-key.pem"))
ctx.load_verify_locations(os.path.join(certs, "ca.pem"))
ctx.verify_mode = ssl.CERT_REQUIRED
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(64)
print(srv.getsockname()[1], flush=True)

def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

def serve(raw):
    try:
        tls = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()
        return
    up = socket.socket(socket.AF_UNIX)
    up.connect(target)
    threading.Thread(target=pipe, args=(up, tls), daemon=True).start()
    pipe(tls, up)

while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
