-- Predictions (issue 13): predict scores images of datasets or of an uploaded zip with a succeeded run's model on
-- a worker (Prediction, a job with progress), each image's score and maps in PredictionImage.

-- CreateTable
CREATE TABLE "Prediction" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "imageIds" UUID[],
    "uploadId" UUID,
    "fileName" TEXT,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PredictionImage" (
    "id" UUID NOT NULL,
    "predictionId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "imageId" UUID,
    "name" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "scores" JSONB NOT NULL,
    "mapKeys" JSONB NOT NULL,
    "reconstructionKey" TEXT,

    CONSTRAINT "PredictionImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Prediction_status_idx" ON "Prediction"("status");

-- CreateIndex
CREATE INDEX "Prediction_runId_idx" ON "Prediction"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "PredictionImage_predictionId_position_key" ON "PredictionImage"("predictionId", "position");

-- CreateIndex
CREATE INDEX "PredictionImage_contentHash_idx" ON "PredictionImage"("contentHash");

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionImage" ADD CONSTRAINT "PredictionImage_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "Prediction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionImage" ADD CONSTRAINT "PredictionImage_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE SET NULL ON UPDATE CASCADE;
