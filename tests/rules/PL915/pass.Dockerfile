FROM alpine:3.19
ADD app.tar.gz /opt/
COPY --from=builder /out/app.tar /opt/app.tar
RUN tar -xf /opt/app.tar
