-- Workers and their devices (issue 14): each worker writes its row when it starts and with each heartbeat, so
-- that the API offers only the devices a live worker has. Dataset lists sort by image count and creation time.

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "devices" TEXT[],
    "cudaDevices" INTEGER NOT NULL DEFAULT 0,
    "runtime" TEXT NOT NULL DEFAULT '',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");

-- CreateIndex
CREATE INDEX "Dataset_imageCount_id_idx" ON "Dataset"("imageCount", "id");

-- CreateIndex
CREATE INDEX "Dataset_createdAt_id_idx" ON "Dataset"("createdAt", "id");
