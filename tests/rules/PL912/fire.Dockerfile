FROM alpine:3.19 as build
RUN true
run false
FROM build
