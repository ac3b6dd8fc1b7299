FROM debian:bookworm-slim
RUN apt-get update && sudo apt-get install -y curl
