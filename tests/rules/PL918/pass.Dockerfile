FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.81.0-1ubuntu1.15 \
 && apt-cache policy curl && rm -rf /var/lib/apt/lists/* /var/cache/apt
