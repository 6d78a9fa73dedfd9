-- CreateTable
CREATE TABLE "DiscordDmChannel" (
    "memberId" INTEGER NOT NULL,
    "applicationId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "closedAt" DATETIME,
    "toldAt" DATETIME,

    PRIMARY KEY ("memberId", "applicationId"),
    CONSTRAINT "DiscordDmChannel_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DiscordPost" (
    "handle" TEXT NOT NULL PRIMARY KEY,
    "channelId" TEXT NOT NULL,
    "parts" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

