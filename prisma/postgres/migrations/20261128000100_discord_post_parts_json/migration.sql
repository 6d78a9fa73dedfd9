-- CreateTable
CREATE TABLE "DiscordDmChannel" (
    "memberId" INTEGER NOT NULL,
    "applicationId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "toldAt" TIMESTAMPTZ(3),

    CONSTRAINT "DiscordDmChannel_pkey" PRIMARY KEY ("memberId","applicationId")
);

-- CreateTable
CREATE TABLE "DiscordPost" (
    "handle" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "parts" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscordPost_pkey" PRIMARY KEY ("handle")
);

-- AddForeignKey
ALTER TABLE "DiscordDmChannel" ADD CONSTRAINT "DiscordDmChannel_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
