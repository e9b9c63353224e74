# One image for every Stockade app; the APP build argument picks which one the container runs:
# stockade (embedded, the default), inventory-service, order-service, cart-service, gateway,
# provision-topics. docker-compose.yml builds it once per app with a different APP.
# Kept true by tools/deploy/dockerfile.spec.ts (there is no Docker engine on our CI machines).

# ---- build: compile TypeScript and the native SQLite driver, then drop dev dependencies ----
FROM node:22-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp takes the headers that ship with this Node instead of downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when they change, not on every source edit.
COPY package.json package-lock.json ./
RUN npm ci --no-fund --no-audit
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-fund --no-audit

# ---- runtime: compiled JavaScript and production dependencies only, run as a non-root user ----
FROM node:22-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 STOCKADE_DATA_DIR=/app/data
# Code stays root-owned (the app cannot rewrite itself); only the data directory is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Declared last so the layers above are shared by every app's image.
ARG APP=stockade
ENV APP=${APP}
# Node 22 (LTS) has fetch built in, so the check needs neither curl nor a shell. Liveness: it needs no
# token (readiness does once the container is closed) and does not flap with the broker.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec: node becomes PID 1 and receives SIGTERM from `docker stop` for a graceful shutdown.
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
