FROM debian:bookworm-slim
RUN /setup.sh
# then
RUN /cleanup.sh
