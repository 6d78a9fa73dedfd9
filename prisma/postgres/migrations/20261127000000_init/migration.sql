-- CreateTable
CREATE TABLE "Team" (
    "id" SERIAL NOT NULL,
    "ref" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "language" TEXT NOT NULL DEFAULT 'de',
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/Berlin',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "ref" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "language" TEXT,
    "timeZone" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "firstSeen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "coordinator" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId","memberId")
);

-- CreateTable
CREATE TABLE "SentMessage" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SentMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FailedDelivery" (
    "id" SERIAL NOT NULL,
    "target" TEXT NOT NULL,
    "message" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FailedDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskTeam" (
    "teamId" INTEGER NOT NULL,
    "nextNumber" INTEGER NOT NULL DEFAULT 1,
    "digestRule" TEXT DEFAULT '0 9 * * 1-5',

    CONSTRAINT "TaskTeam_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "note" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "dueAt" TIMESTAMPTZ(3),
    "dueAllDay" BOOLEAN NOT NULL DEFAULT false,
    "dueZone" TEXT,
    "creatorId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskAssignee" (
    "taskId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "assignedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaskAssignee_pkey" PRIMARY KEY ("taskId","memberId")
);

-- CreateTable
CREATE TABLE "TaskEvent" (
    "id" SERIAL NOT NULL,
    "taskId" INTEGER NOT NULL,
    "actorId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "TaskEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "runAt" TIMESTAMPTZ(3) NOT NULL,
    "pendingKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedBy" TEXT,
    "claimExpiresAt" TIMESTAMPTZ(3),
    "recurrence" JSONB,
    "timeZone" TEXT,
    "owner" TEXT,
    "outbox" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reminder" (
    "id" SERIAL NOT NULL,
    "teamRef" TEXT NOT NULL,
    "creatorRef" TEXT NOT NULL,
    "targetKind" TEXT NOT NULL,
    "targetRef" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "rule" TEXT,
    "timeZone" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" SERIAL NOT NULL,
    "teamRef" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "allDay" BOOLEAN NOT NULL DEFAULT false,
    "location" TEXT,
    "createdBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingSettings" (
    "teamRef" TEXT NOT NULL,
    "reminderOffsets" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MeetingSettings_pkey" PRIMARY KEY ("teamRef")
);

-- CreateTable
CREATE TABLE "RrTeamSettings" (
    "teamId" INTEGER NOT NULL,
    "urgentMinutes" INTEGER NOT NULL DEFAULT 10,
    "normalMinutes" INTEGER NOT NULL DEFAULT 120,
    "repeats" INTEGER NOT NULL DEFAULT 2,

    CONSTRAINT "RrTeamSettings_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "RrProfile" (
    "memberId" INTEGER NOT NULL,
    "available" BOOLEAN NOT NULL DEFAULT false,
    "availableUntil" TIMESTAMPTZ(3),

    CONSTRAINT "RrProfile_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "RrSkill" (
    "memberId" INTEGER NOT NULL,
    "skill" TEXT NOT NULL,

    CONSTRAINT "RrSkill_pkey" PRIMARY KEY ("memberId","skill")
);

-- CreateTable
CREATE TABLE "RrRequest" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "need" INTEGER NOT NULL DEFAULT 1,
    "skills" JSONB NOT NULL,
    "by" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'open',
    "escalations" INTEGER NOT NULL DEFAULT 0,
    "unansweredAt" TIMESTAMPTZ(3),
    "firstClaimAt" TIMESTAMPTZ(3),
    "coveredAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "note" TEXT,
    "lastUpdate" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RrRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RrClaim" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "claimedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RrClaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RrEvent" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "data" JSONB NOT NULL,

    CONSTRAINT "RrEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatrixSyncState" (
    "account" TEXT NOT NULL,
    "syncToken" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MatrixSyncState_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "MatrixDirectRoom" (
    "account" TEXT NOT NULL,
    "member" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatrixDirectRoom_pkey" PRIMARY KEY ("account","member")
);

-- CreateTable
CREATE TABLE "MatrixHandledEvent" (
    "eventId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatrixHandledEvent_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'choice',
    "question" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "maxSelections" INTEGER NOT NULL DEFAULT 1,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "native" BOOLEAN NOT NULL DEFAULT false,
    "durationMinutes" INTEGER,
    "closesAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "pickedOptionId" INTEGER,
    "meetingId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Poll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollOption" (
    "id" SERIAL NOT NULL,
    "pollId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3),
    "allDay" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "PollOption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollVote" (
    "id" SERIAL NOT NULL,
    "pollId" INTEGER NOT NULL,
    "optionId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL DEFAULT 'yes',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PollVote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollSettings" (
    "teamId" INTEGER NOT NULL,
    "nativeDefault" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "PollSettings_pkey" PRIMARY KEY ("teamId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_ref_key" ON "Team"("ref");

-- CreateIndex
CREATE UNIQUE INDEX "Member_ref_key" ON "Member"("ref");

-- CreateIndex
CREATE INDEX "SentMessage_conversation_messageId_idx" ON "SentMessage"("conversation", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "SentMessage_key_conversation_key" ON "SentMessage"("key", "conversation");

-- CreateIndex
CREATE INDEX "Task_teamId_status_idx" ON "Task"("teamId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Task_teamId_number_key" ON "Task"("teamId", "number");

-- CreateIndex
CREATE INDEX "TaskAssignee_memberId_idx" ON "TaskAssignee"("memberId");

-- CreateIndex
CREATE INDEX "TaskEvent_taskId_at_idx" ON "TaskEvent"("taskId", "at");

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

-- CreateIndex
CREATE INDEX "RrSkill_skill_idx" ON "RrSkill"("skill");

-- CreateIndex
CREATE INDEX "RrRequest_teamId_status_idx" ON "RrRequest"("teamId", "status");

-- CreateIndex
CREATE INDEX "RrRequest_teamId_createdAt_idx" ON "RrRequest"("teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RrRequest_teamId_number_key" ON "RrRequest"("teamId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "RrClaim_requestId_memberId_key" ON "RrClaim"("requestId", "memberId");

-- CreateIndex
CREATE INDEX "RrEvent_requestId_at_idx" ON "RrEvent"("requestId", "at");

-- CreateIndex
CREATE INDEX "MatrixDirectRoom_roomId_idx" ON "MatrixDirectRoom"("roomId");

-- CreateIndex
CREATE INDEX "MatrixHandledEvent_createdAt_idx" ON "MatrixHandledEvent"("createdAt");

-- CreateIndex
CREATE INDEX "Poll_teamId_closedAt_idx" ON "Poll"("teamId", "closedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PollOption_pollId_position_key" ON "PollOption"("pollId", "position");

-- CreateIndex
CREATE INDEX "PollVote_optionId_idx" ON "PollVote"("optionId");

-- CreateIndex
CREATE UNIQUE INDEX "PollVote_pollId_memberId_optionId_key" ON "PollVote"("pollId", "memberId", "optionId");

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskTeam" ADD CONSTRAINT "TaskTeam_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskAssignee" ADD CONSTRAINT "TaskAssignee_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskAssignee" ADD CONSTRAINT "TaskAssignee_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskEvent" ADD CONSTRAINT "TaskEvent_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskEvent" ADD CONSTRAINT "TaskEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrTeamSettings" ADD CONSTRAINT "RrTeamSettings_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrProfile" ADD CONSTRAINT "RrProfile_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrSkill" ADD CONSTRAINT "RrSkill_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrRequest" ADD CONSTRAINT "RrRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrRequest" ADD CONSTRAINT "RrRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrClaim" ADD CONSTRAINT "RrClaim_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RrRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrClaim" ADD CONSTRAINT "RrClaim_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RrEvent" ADD CONSTRAINT "RrEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RrRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Poll" ADD CONSTRAINT "Poll_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Poll" ADD CONSTRAINT "Poll_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollOption" ADD CONSTRAINT "PollOption_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollVote" ADD CONSTRAINT "PollVote_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollVote" ADD CONSTRAINT "PollVote_optionId_fkey" FOREIGN KEY ("optionId") REFERENCES "PollOption"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollVote" ADD CONSTRAINT "PollVote_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollSettings" ADD CONSTRAINT "PollSettings_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
