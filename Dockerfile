# Production image. TypeScript runs through tsx (a runtime dependency), the same way `npm start`
# runs it, so data paths (intents/, flows/, widget assets) resolve identically everywhere.
# MongoDB and Redis come from docker-compose.yml.
FROM node:20-bookworm-slim
# Build with --build-arg WHATSAPP_WEB=1 to include Debian's chromium for the whatsapp-web.js channel.
ARG WHATSAPP_WEB=0
RUN if [ "$WHATSAPP_WEB" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/app/data CHROMIUM_PATH=/usr/bin/chromium
# .puppeteerrc.cjs keeps puppeteer (whatsapp-web.js) from downloading a browser at install.
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY channels ./channels
COPY intents ./intents
COPY flows ./flows
COPY tsconfig.json ./
# The staff console (React), built into console/dist and served at /console.
COPY console ./console
RUN npx vite build --config console/vite.config.ts --logLevel warn
# DATA_DIR holds the WhatsApp Web session; it must belong to the unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/main.ts"]
