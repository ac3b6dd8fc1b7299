FROM nginx:1.27-alpine AS base
EXPOSE 8080
HEALTHCHECK --start-period=5s CMD wget -q -O /dev/null http://localhost:8080/ || exit 1
FROM base
USER nginx
