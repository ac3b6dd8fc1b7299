FROM node:latest AS build
RUN npm ci

FROM debian:bookworm-slim
COPY --from=build /app /app
