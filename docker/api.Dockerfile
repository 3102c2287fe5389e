# The GraphQL API on CPU: Debian's LibTorch is enough to list model layers and evaluate.
FROM node:20-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends libtorch-dev libopenblas0-pthread cmake ninja-build g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Manifests first, so that the npm layer is rebuilt only when dependencies change.
COPY package.json package-lock.json tsconfig.base.json prisma.config.ts ./
COPY native/package.json native/
COPY models/package.json models/
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund --workspace native --workspace models --workspace api --include-workspace-root

COPY native native
COPY models models
COPY api api
COPY prisma prisma
RUN npm run build -w native \
 && DATABASE_URL=postgresql://localhost/unused CHECKPOINT_DISABLE=1 npx prisma generate

ENV NODE_ENV=production
EXPOSE 4000
CMD ["npm", "run", "serve", "-w", "api"]
