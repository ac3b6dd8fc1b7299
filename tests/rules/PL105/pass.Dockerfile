FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y gcc make
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && make -C /src && apt-get purge -y build-essential
RUN apk add --no-cache curl
