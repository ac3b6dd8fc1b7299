FROM alpine:3.19
ADD https://example.com/tool-1.2.tar.gz /opt/
