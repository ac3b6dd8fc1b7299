FROM debian:bookworm-slim
USER 1000:1000
