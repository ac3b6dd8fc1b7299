FROM debian:bookworm-slim
RUN tempDir="$(mktemp -d)" && chmod 777 "$tempDir" && chmod 777 /tmp/build
FROM scratch AS out
COPY --from=0 /src/exit amd64
