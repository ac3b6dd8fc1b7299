FROM alpine:3.19
# install curl
RUN apk add curl
