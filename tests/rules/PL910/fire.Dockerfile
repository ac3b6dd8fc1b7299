ARG VERSION=1.2
FROM alpine:3.19
COPY app-$VERSION.tar.gz /opt/
WORKDIR /srv/$APP_DIR
