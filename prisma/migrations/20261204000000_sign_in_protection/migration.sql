-- Sign-in protection (issue 12): admins disable accounts, API keys may expire, and failed sign-ins are counted
-- per account and per client address in the table layout of rate-limiter-flexible's Postgres store.

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "disabledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SignInAttempt" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "SignInAttempt_pkey" PRIMARY KEY ("key")
);
