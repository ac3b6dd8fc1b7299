FROM debian:bookworm-slim AS base
USER app

FROM base
USER root:root
