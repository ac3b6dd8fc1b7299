FROM alpine:3.19 AS build
FROM alpine:3.19 AS app
COPY --from=build /a /b
