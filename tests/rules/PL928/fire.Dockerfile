FROM alpine:3.19
LABEL org.opencontainers.image.source=github.com/example \
      org.opencontainers.image.version=v1.2 \
      org.opencontainers.image.created="28 Nov 2026" \
      org.opencontainers.image.licenses=Proprietary-ish \
      org.opencontainers.image.revision=main \
      org.opencontainers.image.authors="" 
