FROM alpine:3.19 AS build
FROM scratch
COPY --from=build / /
