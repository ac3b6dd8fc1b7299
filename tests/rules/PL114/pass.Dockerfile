FROM node:20-slim AS build
CMD npm test

FROM node:20-slim
ENTRYPOINT ["node"]
CMD ["server.js"]
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
