FROM node:20-slim AS build
CMD ["npm", "test"]

FROM node:20-slim
CMD node server.js
