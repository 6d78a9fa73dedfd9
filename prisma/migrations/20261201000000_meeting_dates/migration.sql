-- Whole-day meetings keep their calendar date ("startDate"), the same day in every zone;
-- every meeting gets a globally unique iCalendar UID and a SEQUENCE raised on each move;
-- a meeting may be a series ("rule": DTSTART and RRULE lines). Teams may set their own
-- hours for the parts of the day ("dayParts", JSON).
ALTER TABLE "Team" ADD COLUMN "dayParts" JSONB;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Meeting" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "updatedAt" DATETIME NOT NULL
);
-- An all-day row stored the midnight of its date in some zone (the creator's or the team's);
-- the UTC midnight nearest to that instant is the date that was meant for every offset
-- between -12 and +12 hours. Instants are stored as milliseconds or as ISO text.
INSERT INTO "new_Meeting" ("allDay", "createdAt", "createdBy", "durationMinutes", "id", "location", "startsAt", "status", "teamRef", "title", "updatedAt", "startDate", "uid", "sequence")
SELECT "allDay", "createdAt", "createdBy",
    CASE WHEN "allDay" THEN MAX(1440, ("durationMinutes" + 720) / 1440 * 1440) ELSE "durationMinutes" END,
    "id", "location", "startsAt", "status", "teamRef", "title", "updatedAt",
    CASE WHEN NOT "allDay" THEN NULL
         WHEN typeof("startsAt") IN ('integer', 'real') THEN date("startsAt" / 1000 + 43200, 'unixepoch')
         ELSE date("startsAt", '+12 hours') END,
    lower(hex(randomblob(16))) || '@teambot',
    0
FROM "Meeting";
DROP TABLE "Meeting";
ALTER TABLE "new_Meeting" RENAME TO "Meeting";
CREATE UNIQUE INDEX "Meeting_uid_key" ON "Meeting"("uid");
CREATE INDEX "Meeting_teamRef_startsAt_idx" ON "Meeting"("teamRef", "startsAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
