FROM debian:bookworm-slim
RUN useradd -u 123456789 app
