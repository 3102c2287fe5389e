# The web app: Next.js in production mode, talking to the API service over the compose network.
FROM node:20-bookworm

WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY native/package.json native/
COPY models/package.json models/
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund --workspace web --include-workspace-root

COPY web web
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build -w web

ENV NODE_ENV=production
EXPOSE 3000
CMD ["npm", "run", "start", "-w", "web"]
