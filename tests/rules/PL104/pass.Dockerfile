FROM registry.example.com/base/app:1.2 AS build
FROM eu.gcr.io/distroless/static:nonroot
COPY --from=build /app /app
