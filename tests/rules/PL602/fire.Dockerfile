ARG NPM_TOKEN
FROM node:20-slim
ARG GITHUB_TOKEN=
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc
