-- Whole-day meetings keep their calendar date ("startDate"), the same day in every zone;
-- every meeting gets a globally unique iCalendar UID and a SEQUENCE raised on each move;
-- a meeting may be a series ("rule": DTSTART and RRULE lines). Teams may set their own
-- hours for the parts of the day ("dayParts").

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "dayParts" JSONB;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "rule" TEXT,
ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "startDate" TEXT,
ADD COLUMN     "uid" TEXT;

-- An all-day row stored the midnight of its date in some zone (the creator's or the team's);
-- the UTC midnight nearest to that instant is the date that was meant for every offset
-- between -12 and +12 hours. Whole-day meetings last whole days.
UPDATE "Meeting" SET
    "uid" = md5(random()::text || clock_timestamp()::text || "id"::text) || '@teambot',
    "startDate" = CASE WHEN "allDay"
        THEN to_char(("startsAt" AT TIME ZONE 'UTC') + INTERVAL '12 hours', 'YYYY-MM-DD') END,
    "durationMinutes" = CASE WHEN "allDay"
        THEN GREATEST(1440, ("durationMinutes" + 720) / 1440 * 1440) ELSE "durationMinutes" END;

ALTER TABLE "Meeting" ALTER COLUMN "uid" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_uid_key" ON "Meeting"("uid");
