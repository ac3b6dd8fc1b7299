FROM python:3.12-slim
ARG PG_VERSION=16.1-1
RUN apt-get update && apt-get install -y --no-install-recommends \
      "postgresql-client-16=$PG_VERSION" ./vendor/tool_1.0_amd64.deb tzdata/bookworm-updates \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt
RUN pip install --no-cache-dir . ./libs/core 'alabaster<0.7' dist/app-1.0-py3-none-any.whl
RUN pip install --no-cache-dir pykafka --constraint constraints.txt
RUN python -m pip install --no-cache-dir --index-url https://pypi.example.com/simple uvicorn==0.25.0
RUN npm ci && npm install --omit dev && npm install ./local-pkg express@4.18.2
RUN gem install bundler -v 2.4.0
RUN go install ./cmd/... && go run . && go install golang.org/x/tools/gopls@v0.14.2
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20231014-r0 musl-dev~1.2
RUN yum install -y gcc-c++-11.4.1 openssl-1:3.0.7 && yum clean all
RUN zypper install -y 'nginx>=1.21' && zypper -n install -t pattern devel_basis && zypper clean
RUN PKGS="curl wget"; apt-get install -y --no-install-recommends $PKGS
