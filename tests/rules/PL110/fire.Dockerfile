FROM ubuntu:22.04
RUN apt-get update \
 && apt-get install -y curl=7.81.0-1ubuntu1.15 \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && sudo apt-get -y install git=1:2.34.1-1ubuntu1.10 && rm -rf /var/lib/apt/lists/*
