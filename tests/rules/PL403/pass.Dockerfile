FROM nginx:1.27-alpine
HEALTHCHECK --interval=30s --timeout=5s --retries=3 --start-period=10s CMD wget -q -O- http://localhost/
