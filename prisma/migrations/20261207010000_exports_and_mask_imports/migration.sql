-- Exports and mask imports as jobs with progress (issue 13): exportRun and exportMasks make a zip on a worker
-- (Export), importMasks turns an uploaded zip of masks into new mask versions on a worker (MaskImport), and the
-- versions it adds name it and have their own source, MASK_IMPORT.

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "ExportKind" AS ENUM ('RUN', 'MASKS');

-- CreateEnum
CREATE TYPE "MaskSelection" AS ENUM ('APPROVED', 'LATEST');

-- CreateEnum
CREATE TYPE "MaskImportFormat" AS ENUM ('PNG', 'COCO');

-- AlterEnum
ALTER TYPE "MaskSource" ADD VALUE 'MASK_IMPORT';

-- AlterTable
ALTER TABLE "Mask" ADD COLUMN     "maskImportId" UUID;

-- CreateTable
CREATE TABLE "Export" (
    "id" UUID NOT NULL,
    "kind" "ExportKind" NOT NULL,
    "runId" UUID,
    "datasetId" UUID NOT NULL,
    "masks" "MaskSelection",
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "fileCount" INTEGER NOT NULL DEFAULT 0,
    "byteSize" BIGINT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Export_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaskImport" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "uploadId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "requested" "MaskImportFormat",
    "format" "MaskImportFormat",
    "approve" BOOLEAN NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "maskCount" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "MaskImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Export_status_idx" ON "Export"("status");

-- CreateIndex
CREATE INDEX "Export_datasetId_idx" ON "Export"("datasetId");

-- CreateIndex
CREATE INDEX "Export_runId_idx" ON "Export"("runId");

-- CreateIndex
CREATE INDEX "MaskImport_status_idx" ON "MaskImport"("status");

-- CreateIndex
CREATE INDEX "MaskImport_datasetId_idx" ON "MaskImport"("datasetId");

-- AddForeignKey
ALTER TABLE "Mask" ADD CONSTRAINT "Mask_maskImportId_fkey" FOREIGN KEY ("maskImportId") REFERENCES "MaskImport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaskImport" ADD CONSTRAINT "MaskImport_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaskImport" ADD CONSTRAINT "MaskImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
