FROM debian:bookworm
RUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*
RUN apt-get -q install --no-install-recommends less=590-2
FROM fedora:39
RUN dnf install httpd-2.4.58 && dnf clean all
RUN yum install httpd-2.4.58 && yum clean all
FROM opensuse/leap:15.5
RUN zypper install nginx=1.21 && zypper clean
