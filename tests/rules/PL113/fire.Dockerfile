FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
