FROM nginx:1.27-alpine
HEALTHCHECK --interval=10s --start-period=5s CMD wget -q -O- http://localhost/
