-- Annotator assignments (issue 14): at most one annotator per image, so the image is the key. Removing the
-- image or the annotator removes the assignment, removing the admin who made it keeps it.

-- CreateTable
CREATE TABLE "ImageAssignment" (
    "imageId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "assignedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageAssignment_pkey" PRIMARY KEY ("imageId")
);

-- CreateIndex
CREATE INDEX "ImageAssignment_userId_datasetId_idx" ON "ImageAssignment"("userId", "datasetId");

-- CreateIndex
CREATE INDEX "ImageAssignment_datasetId_idx" ON "ImageAssignment"("datasetId");

-- AddForeignKey
ALTER TABLE "ImageAssignment" ADD CONSTRAINT "ImageAssignment_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageAssignment" ADD CONSTRAINT "ImageAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageAssignment" ADD CONSTRAINT "ImageAssignment_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
