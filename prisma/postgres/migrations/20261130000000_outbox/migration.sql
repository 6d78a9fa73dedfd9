-- One outbox for every message the bot sends (issue 14). Deliveries recorded as failed by
-- earlier versions become failed outbox entries (room posts listed for their team), so
-- coordinators can still see and re-send them.

-- CreateTable
CREATE TABLE "OutboxEntry" (
    "id" SERIAL NOT NULL,
    "conversation" TEXT NOT NULL,
    "message" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "lateNoted" BOOLEAN NOT NULL DEFAULT false,
    "runAt" TIMESTAMPTZ(3) NOT NULL,
    "giveUpAt" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedBy" TEXT,
    "claimExpiresAt" TIMESTAMPTZ(3),
    "owner" TEXT,
    "teamRef" TEXT,
    "onSent" JSONB,
    "notice" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxEntry_status_runAt_idx" ON "OutboxEntry"("status", "runAt");

-- CreateIndex
CREATE INDEX "OutboxEntry_conversation_status_idx" ON "OutboxEntry"("conversation", "status");

-- CreateIndex
CREATE INDEX "OutboxEntry_teamRef_status_idx" ON "OutboxEntry"("teamRef", "status");

-- Failed deliveries of earlier versions
INSERT INTO "OutboxEntry" ("conversation", "message", "status", "dueAt", "runAt", "giveUpAt", "attempts", "lastError", "teamRef", "createdAt", "finishedAt")
SELECT "target", "message", 'failed', "createdAt", "createdAt", "createdAt", 1, "error",
       CASE WHEN "message"->'audience'->>'kind' = 'room' THEN "target" END,
       "createdAt", "createdAt"
FROM "FailedDelivery";

-- DropTable
DROP TABLE "FailedDelivery";
