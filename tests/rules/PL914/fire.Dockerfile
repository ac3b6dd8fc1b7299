FROM debian:bookworm-slim
RUN service nginx restart
