FROM alpine:3.19
COPY id_rsa /root/.ssh/id_rsa
COPY config/.npmrc.template /root/
