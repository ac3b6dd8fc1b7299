FROM golang:1.22 AS build
FROM alpine:3.19
COPY --from=build /out/app /app
COPY --from=0 /out/app /app2
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/
COPY --from=$STAGE /x /x
