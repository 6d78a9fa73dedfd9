-- CreateTable
CREATE TABLE "RrTeamSettings" (
    "teamId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "urgentMinutes" INTEGER NOT NULL DEFAULT 10,
    "normalMinutes" INTEGER NOT NULL DEFAULT 120,
    "repeats" INTEGER NOT NULL DEFAULT 2,
    CONSTRAINT "RrTeamSettings_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RrProfile" (
    "memberId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "available" BOOLEAN NOT NULL DEFAULT false,
    "availableUntil" DATETIME,
    CONSTRAINT "RrProfile_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RrSkill" (
    "memberId" INTEGER NOT NULL,
    "skill" TEXT NOT NULL,

    PRIMARY KEY ("memberId", "skill"),
    CONSTRAINT "RrSkill_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RrRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "need" INTEGER NOT NULL DEFAULT 1,
    "skills" TEXT NOT NULL DEFAULT '[]',
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

-- CreateTable
CREATE TABLE "RrClaim" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    CONSTRAINT "RrClaim_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RrRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RrClaim_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RrEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "RrEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RrRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
