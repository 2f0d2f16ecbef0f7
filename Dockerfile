# ometria-transformer: RudderStack-compatible transformer for the Ometria destination.
# Also serves as the image of the mock Ometria Push API (see docker-compose.yml).
#
#   docker build -t ometria-transformer .
#   docker run --rm -p 9090:9090 -v ometria-erasure:/app/data -e OMETRIA_API_URL=https://api.ometria.com ometria-transformer
#
# See docs/DOCKER.md for the environment variables, the erasure store's volume and the compose stacks.

# ---------------------------------------------------------------- build: compile TypeScript and native modules
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (the erasure store) is compiled here, never downloaded prebuilt (build machines
# may not reach GitHub): npm_config_build_from_source skips the download attempt, and
# npm_config_nodedir points node-gyp at the headers the node image ships in /usr/local/include/node
# instead of fetching them from nodejs.org (npm warns "Unknown env config build-from-source": it
# is for better-sqlite3's install script, which reads it). Python, make and a C++ compiler: in this
# stage only.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Dependencies first, so the layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY routes ./routes
COPY src ./src
# Compile, then drop the dev dependencies: what is left in node_modules (better-sqlite3's compiled
# binary included) is exactly what the runtime stage copies, so nothing is compiled twice and the
# runtime stage needs no compiler.
RUN npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force

# ---------------------------------------------------------------- runtime: production node_modules + dist/
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    PORT=9090 \
    HOST=0.0.0.0
# Copied as root and left owned by root: the `node` user can read the code but not change it.
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The erasure store (DELETION_STORE, default data/erasure.sqlite under WORKDIR): the only folder
# the `node` user may write. A volume, so the store outlives the container (a new container must
# not send a person to Ometria again) and stays writable under `--read-only`. With a Postgres
# DELETION_STORE it stays empty.
RUN mkdir -p /app/data && chown node:node /app/data && chmod 0700 /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 9090
# Slim images have no curl: probe with node's built-in fetch. Same PORT as the server reads.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||9090)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm): SIGTERM from `docker stop` reaches the server, which drains and exits 0.
CMD ["node", "dist/src/process/server.js"]
