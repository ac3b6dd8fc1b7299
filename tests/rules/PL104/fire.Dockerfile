FROM node:20-slim AS build
FROM registry.example.com/base/app:1.2
COPY --from=quay.io/coreos/etcd:v3.5 /usr/local/bin/etcd /bin/
