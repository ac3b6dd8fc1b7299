FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
