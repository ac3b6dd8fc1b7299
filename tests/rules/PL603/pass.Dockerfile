FROM alpine:3.19
COPY .env.example /app/.env.example
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
