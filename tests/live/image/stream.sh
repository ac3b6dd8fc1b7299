#!/bin/sh
# A metrics endpoint that answers and never ends (nc -ll -p 8080 -e /stream.sh).
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n\r\n'
while :; do echo "endless_total 1"; done
