FROM gcr.io/distroless/static-debian12:nonroot
COPY app /app
FROM cgr.dev/chainguard/static:latest
COPY app /app
