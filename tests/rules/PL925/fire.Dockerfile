FROM alpine:3.19
LABEL Maintainer=me com.docker.thing=1 org..example=x
