FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM alpine:3.19
COPY --from=buidl /out/app /app
COPY --from=later /x /x
FROM alpine:3.19 AS later
