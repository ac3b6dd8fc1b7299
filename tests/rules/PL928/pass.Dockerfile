FROM alpine:3.19 AS build
FROM alpine:3.19
COPY --from=build /a /a
LABEL org.opencontainers.image.source=https://github.com/example/app \
      org.opencontainers.image.version=1.4.2-rc.1 \
      org.opencontainers.image.created=2026-11-28T06:00:00Z \
      org.opencontainers.image.licenses="Apache-2.0 OR MIT" \
      org.opencontainers.image.revision=2dbfae9 \
      org.opencontainers.image.authors=dev@example.com
