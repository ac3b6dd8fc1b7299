FROM alpine:3.19
COPY --chmod 755 app /app
RUN --mnt=type=cache echo hi
