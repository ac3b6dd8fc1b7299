FROM node:20-slim AS base
WORKDIR /app
FROM base
COPY package.json .
FROM alpine:3.19
COPY a /b
