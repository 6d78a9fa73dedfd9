-- CreateTable
CREATE TABLE "Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "runAt" DATETIME NOT NULL,
    "pendingKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedBy" TEXT,
    "claimExpiresAt" DATETIME,
    "recurrence" TEXT,
    "timeZone" TEXT,
    "owner" TEXT,
    "outbox" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Reminder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamRef" TEXT NOT NULL,
    "creatorRef" TEXT NOT NULL,
    "targetKind" TEXT NOT NULL,
    "targetRef" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "rule" TEXT,
    "timeZone" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamRef" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "allDay" BOOLEAN NOT NULL DEFAULT false,
    "location" TEXT,
    "createdBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MeetingSettings" (
    "teamRef" TEXT NOT NULL PRIMARY KEY,
    "reminderOffsets" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Job_pendingKey_key" ON "Job"("pendingKey");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_status_claimExpiresAt_idx" ON "Job"("status", "claimExpiresAt");

-- CreateIndex
CREATE INDEX "Reminder_teamRef_status_idx" ON "Reminder"("teamRef", "status");

-- CreateIndex
CREATE INDEX "Reminder_creatorRef_status_idx" ON "Reminder"("creatorRef", "status");

-- CreateIndex
CREATE INDEX "Meeting_teamRef_startsAt_idx" ON "Meeting"("teamRef", "startsAt");

