FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*
RUN <<EOT
set -eux
apt-get update
apt-get upgrade -y
rm -rf /var/lib/apt/lists/*
EOT
FROM alpine:3.19
RUN apk update && apk add --no-cache jq=1.7.1-r0
