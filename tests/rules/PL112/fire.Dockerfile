FROM debian:bookworm-slim
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
RUN wget -qO- https://get.example.com | sudo sh
