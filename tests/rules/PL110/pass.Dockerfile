FROM ubuntu:22.04 AS build
# builder stages do not ship
RUN apt-get update && apt-get install -y build-essential=12.9ubuntu3

FROM ubuntu:22.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.81.0-1ubuntu1.15 \
 && apt-get install -y -o APT::Install-Recommends=false git=1:2.34.1-1ubuntu1.10 \
 && if apt-get install -s postgresql-16-jit >/dev/null 2>&1; then echo ok; fi \
 && rm -rf /var/lib/apt/lists/*
