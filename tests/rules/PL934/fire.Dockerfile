FROM debian:bookworm-slim
RUN wget -q https://example.com/a
RUN curl -fsSLO https://example.com/b
