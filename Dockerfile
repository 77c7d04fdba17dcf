# The image of `dissmodel serve` and `dissmodel worker` (docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
USER node
ENTRYPOINT ["node", "bin/dissmodel.js"]
