FROM debian:bookworm-slim
RUN wget --progress=dot:giga https://example.com/a && wget -nv https://example.com/b && wget -q https://example.com/c
