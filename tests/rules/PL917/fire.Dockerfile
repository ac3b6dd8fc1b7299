FROM alpine:3.19 AS app
COPY --from=app /a /b
