# syntax=docker/dockerfile:1
FROM debian:bookworm-slim AS build
# a builder stage that is not shipped may keep its caches
RUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3
RUN pip install build==1.0.3

FROM debian:bookworm-slim
ENV PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates=20230311 \
 && rm -rf /var/lib/apt/lists/*
RUN set -eux; apt-get install --update -y --no-install-recommends tzdata=2024a-0; apt-get dist-clean
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y jq=1.6-2.1
RUN pip install requests==2.31.0
RUN apk add --no-cache curl=8.5.0-r0
RUN apk add --no-network --virtual .rundeps $runDeps
RUN --mount=type=cache,target=/root/.cache/pip pip3 install flask==3.0.0
RUN yum install -y httpd-2.4.57 && yum clean all
RUN dnf install -y httpd-2.4.57 && dnf clean all && rm -rf /var/cache/dnf
RUN microdnf install -y tar-1.34 && microdnf clean all
RUN zypper install -y nginx=1.21 && zypper cc -a
RUN yarn install --frozen-lockfile && yarn cache clean
RUN sudo apt-get install -y --no-install-recommends less=590-2 && sudo rm -rf /var/lib/apt/lists/*
