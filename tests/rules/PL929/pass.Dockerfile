FROM debian:bookworm-slim
RUN /setup.sh && /more.sh
RUN /cleanup.sh
WORKDIR /
RUN /x.sh
RUN --mount=type=cache,target=/root/.cache /y.sh
