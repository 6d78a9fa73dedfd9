-- People and privacy: memberships end as a dated fact (leftAt, leftHow); forgotten members;
-- a retention period per team; per-team numbers for polls, meetings and reminders (existing
-- rows keep their id as their number, so buttons and numbers already posted stay right) with
-- counters that never hand a number out twice; foreign keys for the references that were plain
-- strings (Reminder, Meeting, MeetingSettings, Poll.pickedOptionId, Poll.meetingId, RrEvent's
-- actor); statuses as enums (text on SQLite); the coordinators' audit log.

-- Rows that name a member who has no row yet get one (their name comes with their next command).
INSERT INTO "Member" ("ref", "displayName", "createdAt", "updatedAt")
SELECT DISTINCT "ref", '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM (
    SELECT "creatorRef" AS "ref" FROM "Reminder"
    UNION SELECT "targetRef" FROM "Reminder" WHERE "targetKind" <> 'team'
    UNION SELECT "createdBy" FROM "Meeting"
) WHERE "ref" NOT IN (SELECT "ref" FROM "Member");
-- Rows of a room that is no team cannot be reached by anyone.
DELETE FROM "Reminder" WHERE "teamRef" NOT IN (SELECT "ref" FROM "Team");
DELETE FROM "Meeting" WHERE "teamRef" NOT IN (SELECT "ref" FROM "Team");
DELETE FROM "MeetingSettings" WHERE "teamRef" NOT IN (SELECT "ref" FROM "Team");
UPDATE "Poll" SET "meetingId" = NULL WHERE "meetingId" IS NOT NULL AND "meetingId" NOT IN (SELECT "id" FROM "Meeting");
UPDATE "Poll" SET "pickedOptionId" = NULL WHERE "pickedOptionId" IS NOT NULL AND "pickedOptionId" NOT IN (SELECT "id" FROM "PollOption" WHERE "PollOption"."pollId" = "Poll"."id");

-- AlterTable
ALTER TABLE "Member" ADD COLUMN "forgottenAt" DATETIME;

-- AlterTable
ALTER TABLE "TeamMember" ADD COLUMN "leftAt" DATETIME;
ALTER TABLE "TeamMember" ADD COLUMN "leftHow" TEXT;

-- CreateTable
CREATE TABLE "TeamCounter" (
    "teamId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("teamId", "kind"),
    CONSTRAINT "TeamCounter_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actorId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "subjectId" INTEGER,
    "details" JSONB NOT NULL,
    CONSTRAINT "AuditEntry_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AuditEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AuditEntry_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Member" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Meeting" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" INTEGER NOT NULL,
    "teamRef" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "allDay" BOOLEAN NOT NULL DEFAULT false,
    "startDate" TEXT,
    "uid" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "rule" TEXT,
    "location" TEXT,
    "createdBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Meeting_teamRef_fkey" FOREIGN KEY ("teamRef") REFERENCES "Team" ("ref") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Meeting_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES "Member" ("ref") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Meeting" ("number", "allDay", "createdAt", "createdBy", "durationMinutes", "id", "location", "rule", "sequence", "startDate", "startsAt", "status", "teamRef", "title", "uid", "updatedAt") SELECT "id", "allDay", "createdAt", "createdBy", "durationMinutes", "id", "location", "rule", "sequence", "startDate", "startsAt", "status", "teamRef", "title", "uid", "updatedAt" FROM "Meeting";
DROP TABLE "Meeting";
ALTER TABLE "new_Meeting" RENAME TO "Meeting";
CREATE UNIQUE INDEX "Meeting_uid_key" ON "Meeting"("uid");
CREATE INDEX "Meeting_teamRef_startsAt_idx" ON "Meeting"("teamRef", "startsAt");
CREATE INDEX "Meeting_createdBy_idx" ON "Meeting"("createdBy");
CREATE UNIQUE INDEX "Meeting_teamRef_number_key" ON "Meeting"("teamRef", "number");
CREATE TABLE "new_MeetingSettings" (
    "teamRef" TEXT NOT NULL PRIMARY KEY,
    "reminderOffsets" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MeetingSettings_teamRef_fkey" FOREIGN KEY ("teamRef") REFERENCES "Team" ("ref") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_MeetingSettings" ("reminderOffsets", "teamRef", "updatedAt") SELECT "reminderOffsets", "teamRef", "updatedAt" FROM "MeetingSettings";
DROP TABLE "MeetingSettings";
ALTER TABLE "new_MeetingSettings" RENAME TO "MeetingSettings";
CREATE TABLE "new_Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'choice',
    "question" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "maxSelections" INTEGER NOT NULL DEFAULT 1,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "native" BOOLEAN NOT NULL DEFAULT false,
    "privateBallots" BOOLEAN NOT NULL DEFAULT false,
    "durationMinutes" INTEGER,
    "closesAt" DATETIME,
    "closedAt" DATETIME,
    "pickedOptionId" INTEGER,
    "meetingId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Poll_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Poll_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Poll_pickedOptionId_fkey" FOREIGN KEY ("pickedOptionId") REFERENCES "PollOption" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT "Poll_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Poll" ("number", "anonymous", "closedAt", "closesAt", "createdAt", "createdById", "durationMinutes", "hidden", "id", "kind", "maxSelections", "meetingId", "native", "pickedOptionId", "question", "teamId") SELECT "id", "anonymous", "closedAt", "closesAt", "createdAt", "createdById", "durationMinutes", "hidden", "id", "kind", "maxSelections", "meetingId", "native", "pickedOptionId", "question", "teamId" FROM "Poll";
DROP TABLE "Poll";
ALTER TABLE "new_Poll" RENAME TO "Poll";
CREATE INDEX "Poll_teamId_closedAt_idx" ON "Poll"("teamId", "closedAt");
CREATE INDEX "Poll_meetingId_idx" ON "Poll"("meetingId");
CREATE UNIQUE INDEX "Poll_teamId_number_key" ON "Poll"("teamId", "number");
CREATE UNIQUE INDEX "Poll_pickedOptionId_key" ON "Poll"("pickedOptionId");
CREATE TABLE "new_Reminder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" INTEGER NOT NULL,
    "teamRef" TEXT NOT NULL,
    "creatorRef" TEXT NOT NULL,
    "targetKind" TEXT NOT NULL,
    "targetRef" TEXT,
    "text" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "rule" TEXT,
    "timeZone" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Reminder_teamRef_fkey" FOREIGN KEY ("teamRef") REFERENCES "Team" ("ref") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Reminder_creatorRef_fkey" FOREIGN KEY ("creatorRef") REFERENCES "Member" ("ref") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Reminder_targetRef_fkey" FOREIGN KEY ("targetRef") REFERENCES "Member" ("ref") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Reminder" ("number", "createdAt", "creatorRef", "deliveredAt", "dueAt", "id", "rule", "status", "targetKind", "targetRef", "teamRef", "text", "timeZone", "updatedAt") SELECT "id", "createdAt", "creatorRef", "deliveredAt", "dueAt", "id", "rule", "status", "targetKind", CASE WHEN "targetKind" = 'team' THEN NULL ELSE "targetRef" END, "teamRef", "text", "timeZone", "updatedAt" FROM "Reminder";
DROP TABLE "Reminder";
ALTER TABLE "new_Reminder" RENAME TO "Reminder";
CREATE INDEX "Reminder_teamRef_status_idx" ON "Reminder"("teamRef", "status");
CREATE INDEX "Reminder_creatorRef_status_idx" ON "Reminder"("creatorRef", "status");
CREATE INDEX "Reminder_targetRef_idx" ON "Reminder"("targetRef");
CREATE UNIQUE INDEX "Reminder_teamRef_number_key" ON "Reminder"("teamRef", "number");
CREATE TABLE "new_RrEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "actorId" INTEGER,
    "data" JSONB NOT NULL,
    CONSTRAINT "RrEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RrRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RrEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Member" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_RrEvent" ("actor", "at", "data", "id", "kind", "requestId") SELECT "actor", "at", "data", "id", "kind", "requestId" FROM "RrEvent";
DROP TABLE "RrEvent";
ALTER TABLE "new_RrEvent" RENAME TO "RrEvent";
CREATE INDEX "RrEvent_requestId_at_idx" ON "RrEvent"("requestId", "at");
CREATE INDEX "RrEvent_actorId_idx" ON "RrEvent"("actorId");
CREATE TABLE "new_Team" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ref" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "language" TEXT NOT NULL DEFAULT 'de',
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/Berlin',
    "retentionDays" INTEGER NOT NULL DEFAULT 180,
    "dayParts" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Team" ("createdAt", "dayParts", "id", "language", "name", "ref", "timeZone", "updatedAt") SELECT "createdAt", "dayParts", "id", "language", "name", "ref", "timeZone", "updatedAt" FROM "Team";
DROP TABLE "Team";
ALTER TABLE "new_Team" RENAME TO "Team";
CREATE UNIQUE INDEX "Team_ref_key" ON "Team"("ref");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AuditEntry_teamId_at_idx" ON "AuditEntry"("teamId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_idx" ON "AuditEntry"("actorId");

-- CreateIndex
CREATE INDEX "AuditEntry_subjectId_idx" ON "AuditEntry"("subjectId");

-- The counters continue after the highest number each team has.
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "teamId", 'poll', MAX("number") FROM "Poll" GROUP BY "teamId";
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "teamId", 'rr', MAX("number") FROM "RrRequest" GROUP BY "teamId";
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "Team"."id", 'meeting', MAX("Meeting"."number") FROM "Meeting" JOIN "Team" ON "Team"."ref" = "Meeting"."teamRef" GROUP BY "Team"."id";
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "Team"."id", 'reminder', MAX("Reminder"."number") FROM "Reminder" JOIN "Team" ON "Team"."ref" = "Reminder"."teamRef" GROUP BY "Team"."id";
