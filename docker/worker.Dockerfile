# A GPU worker: LibTorch with CUDA comes from the PyTorch image's Python torch, which the native build finds.
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-devel

# Node.js from the official image rather than a download script.
COPY --from=node:20-bookworm-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=node:20-bookworm-slim /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s /usr/local/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && apt-get update \
 && apt-get install -y --no-install-recommends cmake ninja-build g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
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
CMD ["npm", "run", "worker", "-w", "api"]
