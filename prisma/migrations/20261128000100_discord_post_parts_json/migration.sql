-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DiscordPost" (
    "handle" TEXT NOT NULL PRIMARY KEY,
    "channelId" TEXT NOT NULL,
    "parts" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_DiscordPost" ("channelId", "createdAt", "handle", "parts") SELECT "channelId", "createdAt", "handle", "parts" FROM "DiscordPost";
DROP TABLE "DiscordPost";
ALTER TABLE "new_DiscordPost" RENAME TO "DiscordPost";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

