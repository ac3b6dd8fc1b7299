FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
FROM debian:bookworm-slim
RUN set -eux -o pipefail; curl -fsSL https://example.com/a | tar -x
RUN echo a || echo b
