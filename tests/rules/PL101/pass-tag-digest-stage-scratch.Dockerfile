FROM golang:1.22 AS build
FROM build AS test
FROM scratch
COPY --from=build /out /
FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM $UNSET_BASE
