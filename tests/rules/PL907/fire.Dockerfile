FROM alpine:3.19
RUN cd /opt && make install
