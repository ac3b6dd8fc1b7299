FROM debian:bookworm AS build
ENV BUILD_DEPS="gcc make"
RUN apt-get update && apt-get install -y --no-install-recommends -t bookworm-backports \
      curl \
      $BUILD_DEPS \
      libssl-dev=3.0.11-1~deb12u2 \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir requests flask==3.0.0 git+https://github.com/org/lib.git#egg=lib
RUN npm install -g typescript @angular/cli@17.0.0 @scope/tool
RUN gem install bundler:2.4.0 rake
RUN go install golang.org/x/tools/gopls@latest && go install example.com/cmd/tool

FROM alpine:3.19
RUN apk add --no-cache --virtual .build-deps bash curl=8.5.0-r0
RUN yum install -y httpd && dnf install -y tar-1.34 rpm-sign && zypper install -y nginx
