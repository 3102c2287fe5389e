-- Stored files safe against deletion (issue 12). Imports, mask saves and workers lease the files they write
-- until the rows naming them commit, and garbage collection keeps leased files. An upload is consumed by the
-- import that commits it, and one import attempt at a time claims it, so that an interrupted import can be
-- retried. The indexes let garbage collection ask whether any row names a file under the file store lock.

-- AlterTable
ALTER TABLE "Upload" ADD COLUMN     "claimToken" UUID,
ADD COLUMN     "claimedUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "FileLease" (
    "hash" TEXT NOT NULL,
    "holder" UUID NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FileLease_pkey" PRIMARY KEY ("hash","holder")
);

-- CreateIndex
CREATE INDEX "FileLease_holder_idx" ON "FileLease"("holder");

-- CreateIndex
CREATE INDEX "FileLease_expiresAt_idx" ON "FileLease"("expiresAt");

-- CreateIndex
CREATE INDEX "Image_contentHash_idx" ON "Image"("contentHash");

-- CreateIndex
CREATE INDEX "Mask_contentHash_idx" ON "Mask"("contentHash");

-- CreateIndex
CREATE INDEX "Result_mapKeys_idx" ON "Result" USING GIN ("mapKeys" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Result_reconstructionKey_idx" ON "Result"("reconstructionKey");
