FROM debian:bookworm-slim
SHELL ["/bin/bash", "-c"]
RUN ln -s /usr/bin/python3 /usr/local/bin/python && echo /bin/sh
