# Production image. TypeScript runs through tsx (a runtime dependency), the same way `npm start`
# runs it, so data paths (intents/, flows/, widget assets) resolve identically everywhere.
# MongoDB and Redis come from docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PUPPETEER_SKIP_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY channels ./channels
COPY intents ./intents
COPY flows ./flows
COPY tsconfig.json ./
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/main.ts"]
