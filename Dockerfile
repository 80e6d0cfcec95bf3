# syntax=docker/dockerfile:1
# The operator image: the compiled JavaScript and production dependencies on a slim Node 20, running as a
# non-root user. No certificate or key is baked in: the operator makes its own in the cluster (SPEC §11).
# test/install/runtime-layout.test.ts assembles the final stage's layout without docker and starts it.

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /build/dist ./dist
# The `node` user of the official image (uid 1000); the chart's securityContext runs as the same ids.
USER 1000:1000
EXPOSE 9543 9544
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve"]
