FROM debian:bookworm-slim AS sshd-for-tests
EXPOSE 22
FROM debian:bookworm-slim
EXPOSE 8080
