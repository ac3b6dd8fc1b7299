FROM debian:bookworm-slim
RUN wget https://example.com/file.tar.gz
