-- A finished training hands back the weights of the epoch with the lowest loss on the held-back normal images,
-- not those of its last epoch, and the run records which epoch that was. Null for runs trained before, which kept
-- the weights of their last epoch, and for runs without held-back images.

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "bestEpoch" INTEGER;
