FROM opensuse/leap:15.5
RUN zypper --non-interactive install nginx=1.21 && zypper clean
