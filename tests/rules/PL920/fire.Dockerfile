FROM opensuse/leap:15.5
RUN zypper --non-interactive refresh && zypper --non-interactive dup && zypper clean
