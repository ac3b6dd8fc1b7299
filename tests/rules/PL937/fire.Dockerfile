FROM debian:bookworm-slim
EXPOSE 22 8080
