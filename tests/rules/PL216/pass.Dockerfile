FROM debian:bookworm-slim
USER 10001:10001
FROM alpine:3.19
USER app
