FROM ubuntu:24.04 AS build
RUN make

FROM debian:bookworm-slim
COPY --from=build /app /app
