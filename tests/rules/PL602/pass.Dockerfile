ARG NODE_VERSION=20
FROM node:${NODE_VERSION}-slim
ARG BUILD_DATE
RUN --mount=type=secret,id=npm_token npm ci
