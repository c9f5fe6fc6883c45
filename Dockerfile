# The Montecell service: one image for both roles, chosen by the command.
#   API and WebSocket gateway:  node build/server/api-main.js     (npm run api)
#   CPU worker:                 node build/server/worker-main.js  (npm run worker)
#   both in one process:        node build/server/main.js         (npm start; the default)
# compose.yaml runs the roles apart, with Redis; Dockerfile.gpu is the GPU worker.
#
#   docker build -t montecell .
#   docker run -e REDIS_URL=redis://redis.internal:6379 -p 8000:8000 montecell
#
# REDIS_URL is required in a container: the embedded Redis of `npm start` is for a developer's machine.

# The server bundle is built with the dev dependencies (esbuild), which the runtime image does not carry.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node scripts/build-server.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
COPY package.json package-lock.json ./
# --ignore-scripts: the "prepare" script builds with esbuild, a dev dependency; build/ comes from above.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build/server ./build/server
USER node
EXPOSE 8000
# SIGTERM drains (no new jobs, running chunks finish); node as PID 1 receives it directly.
CMD ["node", "build/server/main.js"]
