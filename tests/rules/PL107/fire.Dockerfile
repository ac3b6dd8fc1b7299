FROM alpine:3.19
ADD src/ /app/
