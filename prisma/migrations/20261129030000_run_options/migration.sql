-- AlterTable: runs keep what was asked (options) apart from the resolved config the worker fills in.
-- Existing rows (none are expected) get an empty request.
ALTER TABLE "Run" ADD COLUMN     "options" JSONB NOT NULL DEFAULT '{}',
ALTER COLUMN "config" DROP NOT NULL;
ALTER TABLE "Run" ALTER COLUMN "options" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Result" ADD COLUMN     "scores" JSONB NOT NULL DEFAULT '{}';

-- AlterTable: evaluations are claimed and kept alive by workers like runs.
ALTER TABLE "Evaluation" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "startedAt" TIMESTAMP(3),
ADD COLUMN     "workerId" TEXT;

-- CreateIndex
CREATE INDEX "Evaluation_status_idx" ON "Evaluation"("status");

-- AlterTable: where the current attempt started training (later than 1 after a resume).
ALTER TABLE "Run" ADD COLUMN     "startEpoch" INTEGER NOT NULL DEFAULT 0;
