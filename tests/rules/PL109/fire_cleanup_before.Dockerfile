FROM rockylinux:9
RUN yum clean all && yum install -y httpd-2.4.57
RUN zypper clean && zypper install -y nginx=1.21
RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl=7.88.1-10
ONBUILD RUN apk add jq=1.7.1-r0
