FROM nginx:1.27-alpine
HEALTHCHECK --interval=500ms --timeout=1s --retries=0 --start-period=5s CMD wget -q -O- http://localhost/
