#!/bin/sh
# A metrics endpoint that accepts and never answers (nc -ll -p 8080 -e /hang.sh).
exec sleep 600
