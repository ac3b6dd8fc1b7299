FROM alpine:3.19
ADD rootfs.tar.gz /
ADD https://example.com/app.tgz /tmp/
COPY src/ /app/
ADD "file.tgz" /usr/src/app/
