FROM alpine:3.19
ARG DIR=/srv
WORKDIR /app
WORKDIR $DIR
WORKDIR ${HOME}
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\\app
WORKDIR "C:\\"
