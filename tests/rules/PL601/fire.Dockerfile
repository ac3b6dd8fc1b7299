FROM node:20-slim
ENV NODE_ENV=production \
    API_TOKEN=s3cr3t-token-value
ENV AWS_KEY=AKIAIOSFODNN7EXAMPLE
