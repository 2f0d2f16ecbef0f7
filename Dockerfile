# ometria-transformer: RudderStack-compatible transformer for the Ometria destination.
# Also serves as the image of the mock Ometria Push API (see docker-compose.yml).
#
#   docker build -t ometria-transformer .
#   docker run --rm -p 9090:9090 -e OMETRIA_API_URL=https://api.ometria.com ometria-transformer
#
# See docs/DOCKER.md for the environment variables and the compose stacks.

# ---------------------------------------------------------------- build: compile TypeScript
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
# Dependencies first, so the layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY routes ./routes
COPY src ./src
RUN npm run build

# ---------------------------------------------------------------- runtime: production dependencies + dist/
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    PORT=9090 \
    HOST=0.0.0.0
COPY package.json package-lock.json ./
# Installed as root and left owned by root: the `node` user can read the code but not change it.
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 9090
# Slim images have no curl: probe with node's built-in fetch. Same PORT as the server reads.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||9090)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm): SIGTERM from `docker stop` reaches the server, which drains and exits 0.
CMD ["node", "dist/src/process/server.js"]
