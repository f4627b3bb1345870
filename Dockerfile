# Production image: the compiled build (`npm run build`: tsc into dist/, the console prebuilt)
# run with plain `node`, as the unprivileged `node` user. Three stages so that the image holds
# production dependencies and compiled files only: `build` (every dependency, tsc and vite),
# `deps` (npm ci --omit=dev) and the runtime stage (node_modules + dist/).
# MongoDB and Redis come from docker-compose.yml (one machine) or the Helm chart (deploy/helm).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# .puppeteerrc.cjs keeps puppeteer (whatsapp-web.js) from downloading a browser at install.
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY channels ./channels
COPY intents ./intents
COPY flows ./flows
COPY scoring ./scoring
COPY console ./console
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
# Build with --build-arg WHATSAPP_WEB=1 to include Debian's chromium for the whatsapp-web.js channel.
ARG WHATSAPP_WEB=0
RUN if [ "$WHATSAPP_WEB" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
# A container's stdout goes to a log collector: JSON lines (pino-pretty is not in the image).
ENV NODE_ENV=production DATA_DIR=/app/data CHROMIUM_PATH=/usr/bin/chromium LOG_FORMAT=json
COPY --from=deps /app/node_modules ./node_modules
# Owned by root, so the process cannot rewrite its own code.
COPY --from=build /src/dist ./dist
# DATA_DIR holds the WhatsApp Web session; it must belong to the unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
