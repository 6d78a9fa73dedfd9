-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FailedDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "target" TEXT NOT NULL,
    "message" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_FailedDelivery" ("createdAt", "error", "id", "message", "target") SELECT "createdAt", "error", "id", "message", "target" FROM "FailedDelivery";
DROP TABLE "FailedDelivery";
ALTER TABLE "new_FailedDelivery" RENAME TO "FailedDelivery";
CREATE TABLE "new_Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "runAt" DATETIME NOT NULL,
    "pendingKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedBy" TEXT,
    "claimExpiresAt" DATETIME,
    "recurrence" JSONB,
    "timeZone" TEXT,
    "owner" TEXT,
    "outbox" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);
INSERT INTO "new_Job" ("attempts", "claimExpiresAt", "claimedBy", "createdAt", "dueAt", "finishedAt", "id", "kind", "lastError", "outbox", "owner", "payload", "pendingKey", "recurrence", "runAt", "status", "timeZone", "updatedAt") SELECT "attempts", "claimExpiresAt", "claimedBy", "createdAt", "dueAt", "finishedAt", "id", "kind", "lastError", "outbox", "owner", "payload", "pendingKey", "recurrence", "runAt", "status", "timeZone", "updatedAt" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE UNIQUE INDEX "Job_pendingKey_key" ON "Job"("pendingKey");
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
CREATE INDEX "Job_status_claimExpiresAt_idx" ON "Job"("status", "claimExpiresAt");
CREATE TABLE "new_MeetingSettings" (
    "teamRef" TEXT NOT NULL PRIMARY KEY,
    "reminderOffsets" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_MeetingSettings" ("reminderOffsets", "teamRef", "updatedAt") SELECT "reminderOffsets", "teamRef", "updatedAt" FROM "MeetingSettings";
DROP TABLE "MeetingSettings";
ALTER TABLE "new_MeetingSettings" RENAME TO "MeetingSettings";
CREATE TABLE "new_RrEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "data" JSONB NOT NULL,
    CONSTRAINT "RrEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RrRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RrEvent" ("actor", "at", "data", "id", "kind", "requestId") SELECT "actor", "at", "data", "id", "kind", "requestId" FROM "RrEvent";
DROP TABLE "RrEvent";
ALTER TABLE "new_RrEvent" RENAME TO "RrEvent";
CREATE INDEX "RrEvent_requestId_at_idx" ON "RrEvent"("requestId", "at");
CREATE TABLE "new_RrRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "need" INTEGER NOT NULL DEFAULT 1,
    "skills" JSONB NOT NULL,
    "by" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'open',
    "escalations" INTEGER NOT NULL DEFAULT 0,
    "unansweredAt" DATETIME,
    "firstClaimAt" DATETIME,
    "coveredAt" DATETIME,
    "closedAt" DATETIME,
    "note" TEXT,
    "lastUpdate" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "RrRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RrRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RrRequest" ("by", "closedAt", "coveredAt", "createdAt", "escalations", "firstClaimAt", "id", "lastUpdate", "need", "note", "number", "requesterId", "skills", "status", "teamId", "text", "unansweredAt", "urgent", "version") SELECT "by", "closedAt", "coveredAt", "createdAt", "escalations", "firstClaimAt", "id", "lastUpdate", "need", "note", "number", "requesterId", "skills", "status", "teamId", "text", "unansweredAt", "urgent", "version" FROM "RrRequest";
DROP TABLE "RrRequest";
ALTER TABLE "new_RrRequest" RENAME TO "RrRequest";
CREATE INDEX "RrRequest_teamId_status_idx" ON "RrRequest"("teamId", "status");
CREATE INDEX "RrRequest_teamId_createdAt_idx" ON "RrRequest"("teamId", "createdAt");
CREATE UNIQUE INDEX "RrRequest_teamId_number_key" ON "RrRequest"("teamId", "number");
CREATE TABLE "new_TaskEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskId" INTEGER NOT NULL,
    "actorId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    CONSTRAINT "TaskEvent_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TaskEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TaskEvent" ("actorId", "at", "data", "id", "kind", "taskId") SELECT "actorId", "at", "data", "id", "kind", "taskId" FROM "TaskEvent";
DROP TABLE "TaskEvent";
ALTER TABLE "new_TaskEvent" RENAME TO "TaskEvent";
CREATE INDEX "TaskEvent_taskId_at_idx" ON "TaskEvent"("taskId", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

