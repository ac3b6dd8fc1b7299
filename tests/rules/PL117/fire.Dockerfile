FROM alpine:3.19
RUN mkdir /data && chmod 777 /data
RUN chmod -R a+rwx /app
COPY --chmod=0777 entry.sh /entry.sh
