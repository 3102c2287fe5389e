-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "currentMaskId" UUID,
ADD COLUMN     "maskStatus" "MaskStatus",
ADD COLUMN     "maskVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Image_datasetId_maskStatus_idx" ON "Image"("datasetId", "maskStatus");

