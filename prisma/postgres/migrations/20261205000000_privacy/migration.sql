-- People and privacy (see the SQLite migration of the same name): memberships end as dated
-- facts, forgotten members, a retention period per team, per-team numbers (existing rows keep
-- their id as number), foreign keys for former plain string references, statuses as enums
-- (converted in place, keeping every row), the coordinators' audit log.

-- Rows that name a member who has no row yet get one.
INSERT INTO "Member" ("ref", "displayName", "createdAt", "updatedAt")
SELECT DISTINCT r."ref", '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM (
    SELECT "creatorRef" AS "ref" FROM "Reminder"
    UNION SELECT "targetRef" FROM "Reminder" WHERE "targetKind" <> 'team'
    UNION SELECT "createdBy" FROM "Meeting"
) r WHERE r."ref" NOT IN (SELECT "ref" FROM "Member");
DELETE FROM "Reminder" WHERE "teamRef" NOT IN (SELECT "ref" FROM "Team");
DELETE FROM "Meeting" WHERE "teamRef" NOT IN (SELECT "ref" FROM "Team");
DELETE FROM "MeetingSettings" WHERE "teamRef" NOT IN (SELECT "ref" FROM "Team");
UPDATE "Poll" SET "meetingId" = NULL WHERE "meetingId" IS NOT NULL AND "meetingId" NOT IN (SELECT "id" FROM "Meeting");
UPDATE "Poll" SET "pickedOptionId" = NULL WHERE "pickedOptionId" IS NOT NULL AND "pickedOptionId" NOT IN (SELECT "id" FROM "PollOption" WHERE "PollOption"."pollId" = "Poll"."id");

-- CreateEnum
CREATE TYPE "MembershipEnd" AS ENUM ('left', 'kicked', 'banned', 'removed', 'lostAccess');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('open', 'started', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "ReminderTargetKind" AS ENUM ('me', 'team', 'member');

-- CreateEnum
CREATE TYPE "ReminderStatus" AS ENUM ('pending', 'delivered', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "MeetingStatus" AS ENUM ('scheduled', 'cancelled');

-- CreateEnum
CREATE TYPE "RrStatus" AS ENUM ('open', 'covered', 'resolved', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "PollKind" AS ENUM ('choice', 'date');

-- CreateEnum
CREATE TYPE "VoteAnswer" AS ENUM ('yes', 'maybe', 'no');

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "retentionDays" INTEGER NOT NULL DEFAULT 180;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "forgottenAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "TeamMember" ADD COLUMN     "leftAt" TIMESTAMPTZ(3),
ADD COLUMN     "leftHow" "MembershipEnd";

-- AlterTable
ALTER TABLE "Task" ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "TaskStatus" USING "status"::"TaskStatus",
ALTER COLUMN "status" SET DEFAULT 'open';

-- AlterTable
ALTER TABLE "Reminder" ADD COLUMN "number" INTEGER,
ALTER COLUMN "targetKind" DROP DEFAULT,
ALTER COLUMN "targetKind" TYPE "ReminderTargetKind" USING "targetKind"::"ReminderTargetKind",
ALTER COLUMN "targetRef" DROP NOT NULL,
ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "ReminderStatus" USING "status"::"ReminderStatus",
ALTER COLUMN "status" SET DEFAULT 'pending';
UPDATE "Reminder" SET "number" = "id", "targetRef" = CASE WHEN "targetKind" = 'team' THEN NULL ELSE "targetRef" END;
ALTER TABLE "Reminder" ALTER COLUMN "number" SET NOT NULL;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN "number" INTEGER,
ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "MeetingStatus" USING "status"::"MeetingStatus",
ALTER COLUMN "status" SET DEFAULT 'scheduled';
UPDATE "Meeting" SET "number" = "id";
ALTER TABLE "Meeting" ALTER COLUMN "number" SET NOT NULL;

-- AlterTable
ALTER TABLE "RrRequest" ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "RrStatus" USING "status"::"RrStatus",
ALTER COLUMN "status" SET DEFAULT 'open';

-- AlterTable
ALTER TABLE "RrEvent" ADD COLUMN     "actorId" INTEGER;

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN "number" INTEGER,
ADD COLUMN "privateBallots" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "kind" DROP DEFAULT,
ALTER COLUMN "kind" TYPE "PollKind" USING "kind"::"PollKind",
ALTER COLUMN "kind" SET DEFAULT 'choice';
UPDATE "Poll" SET "number" = "id";
ALTER TABLE "Poll" ALTER COLUMN "number" SET NOT NULL;

-- AlterTable
ALTER TABLE "PollVote" ALTER COLUMN "answer" DROP DEFAULT,
ALTER COLUMN "answer" TYPE "VoteAnswer" USING "answer"::"VoteAnswer",
ALTER COLUMN "answer" SET DEFAULT 'yes';

-- CreateTable
CREATE TABLE "TeamCounter" (
    "teamId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TeamCounter_pkey" PRIMARY KEY ("teamId","kind")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actorId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "subjectId" INTEGER,
    "details" JSONB NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_teamId_at_idx" ON "AuditEntry"("teamId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_idx" ON "AuditEntry"("actorId");

-- CreateIndex
CREATE INDEX "AuditEntry_subjectId_idx" ON "AuditEntry"("subjectId");

-- CreateIndex
CREATE INDEX "Reminder_targetRef_idx" ON "Reminder"("targetRef");

-- CreateIndex
CREATE UNIQUE INDEX "Reminder_teamRef_number_key" ON "Reminder"("teamRef", "number");

-- CreateIndex
CREATE INDEX "Meeting_createdBy_idx" ON "Meeting"("createdBy");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_teamRef_number_key" ON "Meeting"("teamRef", "number");

-- CreateIndex
CREATE INDEX "RrEvent_actorId_idx" ON "RrEvent"("actorId");

-- CreateIndex
CREATE INDEX "Poll_meetingId_idx" ON "Poll"("meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "Poll_teamId_number_key" ON "Poll"("teamId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Poll_pickedOptionId_key" ON "Poll"("pickedOptionId");

-- AddForeignKey
ALTER TABLE "TeamCounter" ADD CONSTRAINT "TeamCounter_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reminder" ADD CONSTRAINT "Reminder_teamRef_fkey" FOREIGN KEY ("teamRef") REFERENCES "Team"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reminder" ADD CONSTRAINT "Reminder_creatorRef_fkey" FOREIGN KEY ("creatorRef") REFERENCES "Member"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reminder" ADD CONSTRAINT "Reminder_targetRef_fkey" FOREIGN KEY ("targetRef") REFERENCES "Member"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_teamRef_fkey" FOREIGN KEY ("teamRef") REFERENCES "Team"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES "Member"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingSettings" ADD CONSTRAINT "MeetingSettings_teamRef_fkey" FOREIGN KEY ("teamRef") REFERENCES "Team"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrEvent" ADD CONSTRAINT "RrEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Poll" ADD CONSTRAINT "Poll_pickedOptionId_fkey" FOREIGN KEY ("pickedOptionId") REFERENCES "PollOption"("id") ON DELETE SET NULL ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Poll" ADD CONSTRAINT "Poll_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The counters continue after the highest number each team has.
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "teamId", 'poll', MAX("number") FROM "Poll" GROUP BY "teamId";
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "teamId", 'rr', MAX("number") FROM "RrRequest" GROUP BY "teamId";
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "Team"."id", 'meeting', MAX("Meeting"."number") FROM "Meeting" JOIN "Team" ON "Team"."ref" = "Meeting"."teamRef" GROUP BY "Team"."id";
INSERT INTO "TeamCounter" ("teamId", "kind", "last") SELECT "Team"."id", 'reminder', MAX("Reminder"."number") FROM "Reminder" JOIN "Team" ON "Team"."ref" = "Reminder"."teamRef" GROUP BY "Team"."id";
