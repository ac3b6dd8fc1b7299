FROM alpine:3.19
EXPOSE 80000 8080/http abc
