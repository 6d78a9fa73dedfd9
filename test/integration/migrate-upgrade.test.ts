import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { migrate, migrationsDirs } from "../../src/db/migrate.ts";
import { SqliteConnection, sqliteMigrationTarget } from "../../src/db/sqlite.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-upgrade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows as the bot wrote them before JSON columns became Json: JSON as text, instants as ISO text. */
const before = `
INSERT INTO "Team" (id, ref, name, language, "timeZone", "createdAt", "updatedAt")
  VALUES (1, 'console:main', 'Main', 'de', 'Europe/Berlin', '2026-11-20T09:00:00.000+00:00', '2026-11-20T09:00:00.000+00:00');
INSERT INTO "Member" (id, ref, "displayName", "createdAt", "updatedAt")
  VALUES (1, 'console:@ann', 'Ann', '2026-11-20T09:00:00.000+00:00', '2026-11-20T09:00:00.000+00:00'),
         (2, 'console:@bob', 'Bob', '2026-11-20T09:00:00.000+00:00', '2026-11-20T09:00:00.000+00:00');
INSERT INTO "Task" (id, "teamId", number, title, "creatorId", "createdAt", "updatedAt")
  VALUES (1, 1, 1, 'Formular', 1, '2026-11-20T09:00:00.000+00:00', '2026-11-20T09:00:00.000+00:00');
INSERT INTO "TaskEvent" ("taskId", "actorId", at, kind, data)
  VALUES (1, 1, '2026-11-20T09:00:00.000+00:00', 'assigned', '{"members":["Bob"]}');
INSERT INTO "RrRequest" (id, "teamId", number, "requesterId", text, skills, "createdAt")
  VALUES (1, 1, 1, 1, 'Dolmetschen', '["arabic","driving"]', '2026-11-20T09:00:00.000+00:00');
INSERT INTO "RrClaim" ("requestId", "memberId", "claimedAt") VALUES (1, 2, '2026-11-20T09:05:00.000+00:00');
INSERT INTO "RrEvent" ("requestId", at, kind, actor, data)
  VALUES (1, '2026-11-20T09:05:00.000+00:00', 'claimed', 'Bob', '{"round":1}');
INSERT INTO "Job" (kind, payload, "dueAt", "runAt", "pendingKey", recurrence, "timeZone", "createdAt", "updatedAt")
  VALUES ('reminder', '{"reminderId":7}', '2026-12-01T08:00:00.000+00:00', '2026-12-01T08:00:00.000+00:00',
          'reminder:7', '{"rule":"every monday 9:00","cron":"0 9 * * 1"}', 'Europe/Berlin',
          '2026-11-20T09:00:00.000+00:00', '2026-11-20T09:00:00.000+00:00');
INSERT INTO "MeetingSettings" ("teamRef", "reminderOffsets", "updatedAt")
  VALUES ('console:main', '[1440,15]', '2026-11-20T09:00:00.000+00:00');
INSERT INTO "FailedDelivery" (target, message, error, "createdAt")
  VALUES ('console:main', '{"audience":{"kind":"room"}}', 'gone', '2026-11-20T09:00:00.000+00:00');
`;

describe("upgrading a SQLite database made by earlier versions", () => {
  it("keeps every row, turns JSON text into JSON values and cascades nothing away", async () => {
    const names = readdirSync(migrationsDirs.sqlite, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const old = path.join(dir, "old-migrations");
    for (const name of names.filter((n) => n < "20261127000000_json_columns")) {
      cpSync(path.join(migrationsDirs.sqlite, name), path.join(old, name), { recursive: true });
    }
    const file = path.join(dir, "old.db");
    const connection = await SqliteConnection.open(file);
    await migrate(sqliteMigrationTarget(connection), old);
    connection.script(before);
    connection.close();

    const db = await openDatabase(`file:${file}`);
    expect((await db.taskEvent.findFirstOrThrow()).data).toEqual({ members: ["Bob"] });
    const request = await db.rrRequest.findFirstOrThrow({ include: { claims: true, events: true } });
    expect(request.skills).toEqual(["arabic", "driving"]);
    expect(request.claims).toHaveLength(1);
    expect(request.events.map((e) => e.data)).toEqual([{ round: 1 }]);
    const job = await db.job.findFirstOrThrow();
    expect(job.payload).toEqual({ reminderId: 7 });
    expect(job.recurrence).toEqual({ rule: "every monday 9:00", cron: "0 9 * * 1" });
    expect(job.outbox).toBeNull();
    expect(job.runAt).toEqual(new Date("2026-12-01T08:00:00Z"));
    expect((await db.meetingSettings.findFirstOrThrow()).reminderOffsets).toEqual([1440, 15]);
    // A delivery that failed before the outbox is a failed outbox entry, listed for its team.
    const failed = await db.outboxEntry.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "failed", message: { audience: { kind: "room" } }, teamRef: failed.conversation });
    expect(await db.member.count()).toBe(2);
    // Prisma finds rows by the instants the earlier version stored.
    expect(await db.job.count({ where: { runAt: { lte: new Date("2026-12-01T08:00:00Z") } } })).toBe(1);
    await db.$disconnect();
  });
});
