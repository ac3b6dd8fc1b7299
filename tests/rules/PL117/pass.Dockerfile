FROM alpine:3.19
RUN mkdir /data && chmod 755 /data && chmod u+x /entry.sh && chmod 1777 /tmp/x || true
COPY --chmod=755 entry.sh /entry.sh
