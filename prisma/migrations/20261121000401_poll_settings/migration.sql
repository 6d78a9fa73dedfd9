-- CreateTable
CREATE TABLE "PollSettings" (
    "teamId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "nativeDefault" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "PollSettings_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

