FROM nginx:1.27-alpine
HEALTHCHECK --interval=30s CMD wget -q -O /dev/null http://localhost/
