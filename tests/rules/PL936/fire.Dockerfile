FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*
FROM alpine:3.19
RUN apk update
