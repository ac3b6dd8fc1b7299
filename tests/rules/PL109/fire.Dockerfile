FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311

FROM base AS app
RUN apk add curl=8.5.0-r0
RUN pip install --upgrade pip==24.0
RUN dnf install -y httpd-2.4.57 && microdnf clean all
RUN yarn install --frozen-lockfile
RUN PIP_NO_CACHE_DIR=off pip3 install requests==2.31.0
