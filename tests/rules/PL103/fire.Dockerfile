FROM golang:1.22-alpine AS build
RUN go build -o /app .

FROM ubuntu:24.04
COPY --from=build /app /app
