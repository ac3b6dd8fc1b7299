FROM alpine:3.19
WORKDIR /opt
RUN make install && (cd /tmp && rm -rf build)
RUN echo $(cd /x && pwd)
