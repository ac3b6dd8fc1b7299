FROM alpine:3.19
# hadolint ignore=DL3018
RUN apk add curl
