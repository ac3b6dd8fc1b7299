FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc make \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN make -C /src
