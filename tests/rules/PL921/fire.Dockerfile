FROM alpine:3.19
ENV HOME=/home/app PATH=$HOME/bin:$PATH
