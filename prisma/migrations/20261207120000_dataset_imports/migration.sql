-- Dataset imports as jobs (issue 13): startDatasetImport queues importDataset for a worker (DatasetImport, a job
-- with progress like MaskImport), and the dataset is written, whole, when it succeeds.

-- CreateTable
CREATE TABLE "DatasetImport" (
    "id" UUID NOT NULL,
    "path" TEXT,
    "uploadId" UUID,
    "intoDatasetId" UUID,
    "name" TEXT,
    "description" TEXT,
    "source" TEXT NOT NULL,
    "datasetId" UUID,
    "layout" "DatasetLayout",
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DatasetImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DatasetImport_status_idx" ON "DatasetImport"("status");

-- CreateIndex
CREATE INDEX "DatasetImport_intoDatasetId_idx" ON "DatasetImport"("intoDatasetId");

-- AddForeignKey
ALTER TABLE "DatasetImport" ADD CONSTRAINT "DatasetImport_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetImport" ADD CONSTRAINT "DatasetImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
