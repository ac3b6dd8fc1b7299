FROM debian:bookworm-slim AS base
USER 10001

FROM base
RUN echo hi
