FROM nginx:1.27-alpine AS base
HEALTHCHECK CMD wget -q -O /dev/null http://localhost:8080/ || exit 1
FROM base
EXPOSE 8080
HEALTHCHECK NONE
