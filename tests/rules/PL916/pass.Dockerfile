FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*
RUN apt-get install -qq --no-install-recommends less=590-2
RUN apt-get --assume-yes install --no-install-recommends jq=1.6-2.1
RUN yes | apt-get install --no-install-recommends vim=2:9.0.1378-2
FROM fedora:39
RUN dnf -y install httpd-2.4.58 && dnf clean all
RUN microdnf install tar-1.34 && microdnf clean all
FROM opensuse/leap:15.5
RUN zypper --non-interactive install nginx=1.21 && zypper install -y vim=9.0 && zypper clean
