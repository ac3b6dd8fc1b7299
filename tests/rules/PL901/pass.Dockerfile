# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN --mount=type=cache,target=/var/cache/apk apk add --no-cache curl
COPY --link --chmod=755 app /app
ONBUILD RUN echo hi
