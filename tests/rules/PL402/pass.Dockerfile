FROM nginx:1.27-alpine
HEALTHCHECK --interval=30s --start-period=10s CMD wget -q -O /dev/null http://localhost/
FROM alpine:3.19
HEALTHCHECK NONE
