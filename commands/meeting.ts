import { Duration } from "luxon";
import { arg } from "../src/core/args.ts";
import { type CommandContext, type CommandFamily, defineCommand } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { coordinatorOnly, teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, mention, paragraph, type Span, time } from "../src/core/message.ts";
import type { Language } from "../src/core/time.ts";
import { parseDuration, splitWhen, type WhenError } from "../src/core/when.ts";
import { meetingLocales } from "../src/features/meetings/locales.ts";
import {
  meetingIcs,
  meetingKeys,
  meetingRemindJob,
  meetingTime,
  planMeetingReminders,
  reminderOffsets,
  setReminderOffsets,
} from "../src/features/meetings/service.ts";
import type { Meeting } from "../src/generated/prisma/client.ts";

const idArg = arg.integer({ en: "The meeting's number", de: "Nummer des Treffens" }, { min: 1 }).positional();
const maxLocation = 300;

/** "1 day and 15 minutes" / "1 Tag und 15 Minuten". */
export function formatOffsets(offsets: readonly number[], lang: Language): string {
  const parts = offsets.map((minutes) => {
    const d = Duration.fromObject({ minutes }).shiftTo("days", "hours", "minutes");
    const units = (["days", "hours", "minutes"] as const).filter((u) => d.get(u) !== 0);
    return Duration.fromObject(Object.fromEntries(units.map((u) => [u, d.get(u)])), {
      locale: lang === "de" ? "de-DE" : "en-GB",
    }).toHuman({ listStyle: "narrow" });
  });
  return new Intl.ListFormat(lang === "de" ? "de-DE" : "en-GB", { type: "conjunction" }).format(parts);
}

function whenError(reason: WhenError, value: string): UserError {
  return new UserError(`meetings.errors.when.${reason}`, { value });
}

async function findMeeting(ctx: CommandContext, id: number, change: boolean): Promise<Meeting> {
  const meeting = await ctx.db.meeting.findUnique({ where: { id } });
  if (!meeting || meeting.teamRef !== ctx.team.ref) throw new UserError("meetings.errors.notFound", { id });
  if (change) {
    if (meeting.createdBy !== ctx.member.ref && !ctx.isCoordinator)
      throw new UserError("meetings.errors.notYours", { id });
    if (meeting.status === "cancelled") throw new UserError("meetings.errors.alreadyCancelled", { id });
  }
  return meeting;
}

function summary(ctx: CommandContext, meeting: Meeting): Span[] {
  const params = {
    id: meeting.id,
    title: meeting.title,
    when: meetingTime(meeting, ctx.timeZone),
    relative: time(meeting.startsAt, "relative"),
    duration: meeting.durationMinutes,
    location: meeting.location ?? "",
  };
  const key = meeting.allDay
    ? meeting.location
      ? "meetings.allDayAt"
      : "meetings.allDay"
    : meeting.location
      ? "meetings.createdAt"
      : "meetings.created";
  return ctx.tr.tm(key, params);
}

async function remindersLine(ctx: CommandContext, meeting: Meeting): Promise<Span[]> {
  const planned = await ctx.db.job.findMany({
    where: { pendingKey: { startsWith: `meeting:${meeting.id}:` }, status: "pending" },
    select: { pendingKey: true },
  });
  const offsets = (await reminderOffsets(ctx.db, meeting.teamRef)).filter((o) =>
    planned.some((j) => j.pendingKey === meetingKeys.remind(meeting.id, o)),
  );
  return offsets.length > 0
    ? ctx.tr.tm("meetings.remindersPlanned", { offsets: formatOffsets(offsets, ctx.lang) })
    : ctx.tr.tm("meetings.noReminders");
}

const create = defineCommand({
  path: ["meeting", "create"],
  aliases: [["treffen", "neu"]],
  category: "meetings",
  description: { en: "Plan a team meeting", de: "Ein Treffen des Teams planen" },
  args: {
    title: arg
      .string(
        { en: "Title (quoted if it has spaces)", de: "Titel (mit Leerzeichen in Anführungszeichen)" },
        { max: 200 },
      )
      .positional()
      .names({ de: "titel" }),
    words: arg
      .string(
        { en: "When, then [duration] [place or link]", de: "Wann, dann [Dauer] [Ort oder Link]" },
        { max: 500 },
      )
      .many(1, 60)
      .positional()
      .names({ de: "wann" }),
  },
  guards: [teamRoomOnly],
  examples: [
    "meeting create Plenum next friday 14:00 90m town hall",
    'meeting create "Team round" morgen 10 Uhr 1h https://meet.example.org/team',
    "meeting create Retreat 2026-12-05",
  ],
  async handler(ctx, { title, words }) {
    const split = splitWhen(words, { lang: ctx.lang, timeZone: ctx.timeZone, now: ctx.now }, 0);
    if (typeof split === "string") throw whenError(split, words.slice(0, 6).join(" "));
    let rest = words.slice(split.consumed);
    const duration = rest[0] ? parseDuration(rest[0]) : undefined;
    let durationMinutes = split.when.allDay ? 24 * 60 : 60;
    if (duration && duration.as("hours") <= 24 * 7) {
      durationMinutes = Math.round(duration.as("minutes"));
      rest = rest.slice(1);
    }
    const location = rest.join(" ").trim();
    if (location.length > maxLocation) throw new UserError("meetings.errors.location", { max: maxLocation });
    const { id } = await ctx.services.meetings.create({
      teamRef: ctx.team.ref,
      title,
      startsAt: split.when.at,
      durationMinutes,
      allDay: split.when.allDay,
      location: location || undefined,
      createdBy: ctx.member.ref,
    });
    const meeting = await ctx.db.meeting.findUniqueOrThrow({ where: { id } });
    return ctx.reply(
      [paragraph(...summary(ctx, meeting)), paragraph(...(await remindersLine(ctx, meeting)))],
      { tone: "success" },
    );
  },
});

const listCommand = defineCommand({
  path: ["meeting", "list"],
  aliases: [["treffen", "liste"]],
  category: "meetings",
  description: { en: "Upcoming meetings of this team", de: "Kommende Treffen dieses Teams" },
  args: {},
  async handler(ctx) {
    const rows = await ctx.db.meeting.findMany({
      where: {
        teamRef: ctx.team.ref,
        status: "scheduled",
        startsAt: { gte: new Date(ctx.now.getTime() - 86_400_000) },
      },
      orderBy: { startsAt: "asc" },
      take: 30,
    });
    const upcoming = rows.filter(
      (m) => m.startsAt.getTime() + m.durationMinutes * 60_000 >= ctx.now.getTime(),
    );
    if (upcoming.length === 0) return ctx.reply([paragraph(...ctx.tr.tm("meetings.listEmpty"))]);
    return ctx.reply([
      heading(ctx.tr.t("meetings.listTitle")),
      list(
        upcoming.map((m) =>
          ctx.tr.tm("meetings.listItem", { id: m.id, when: meetingTime(m, ctx.timeZone), title: m.title }),
        ),
      ),
    ]);
  },
});

const info = defineCommand({
  path: ["meeting", "info"],
  aliases: [["treffen", "info"]],
  category: "meetings",
  description: { en: "One meeting's details", de: "Details eines Treffens" },
  args: { id: idArg },
  examples: ["meeting info 2"],
  async handler(ctx, { id }) {
    const meeting = await findMeeting(ctx, id, false);
    const creator = await ctx.db.member.findUnique({ where: { ref: meeting.createdBy } });
    const lines: Span[][] = [
      ctx.tr.tm("meetings.infoWhen", {
        when: meetingTime(meeting, ctx.timeZone),
        relative: time(meeting.startsAt, "relative"),
      }),
    ];
    if (!meeting.allDay)
      lines.push(ctx.tr.tm("meetings.infoDuration", { duration: meeting.durationMinutes }));
    if (meeting.location) lines.push(ctx.tr.tm("meetings.infoWhere", { location: meeting.location }));
    lines.push(
      ctx.tr.tm("meetings.infoBy", {
        creator: mention(meeting.createdBy, creator?.displayName || meeting.createdBy),
      }),
    );
    const blocks = [
      paragraph(...ctx.tr.tm("meetings.info", { id: meeting.id, title: meeting.title })),
      list(lines),
    ];
    if (meeting.status === "cancelled") blocks.push(paragraph(...ctx.tr.tm("meetings.infoCancelled")));
    else blocks.push(paragraph(...(await remindersLine(ctx, meeting))));
    return ctx.reply(blocks);
  },
});

const cancel = defineCommand({
  path: ["meeting", "cancel"],
  aliases: [["treffen", "absagen"]],
  category: "meetings",
  description: {
    en: "Cancel a meeting and tell the team",
    de: "Ein Treffen absagen und dem Team Bescheid geben",
  },
  args: { id: idArg },
  guards: [teamRoomOnly],
  examples: ["meeting cancel 2"],
  async handler(ctx, { id }) {
    const meeting = await findMeeting(ctx, id, true);
    await ctx.db.$transaction(async (tx) => {
      await tx.meeting.update({ where: { id }, data: { status: "cancelled" } });
      await ctx.services.scheduler.cancel(meetingKeys.all(id), tx);
    });
    return [
      ctx.reply([paragraph(...ctx.tr.tm("meetings.cancelled", { id, title: meeting.title }))], {
        tone: "success",
      }),
      ctx.toTeam((tr) => [
        paragraph(
          ...tr.tm("meetings.cancelledTeam", {
            title: meeting.title,
            when: meetingTime(meeting, ctx.team.timeZone),
          }),
        ),
      ]),
    ];
  },
});

const move = defineCommand({
  path: ["meeting", "move"],
  aliases: [["treffen", "verschieben"]],
  category: "meetings",
  description: {
    en: "Move a meeting (its reminders follow)",
    de: "Ein Treffen verschieben (die Erinnerungen folgen)",
  },
  args: {
    id: idArg,
    words: arg
      .string({ en: "The new date and time", de: "Das neue Datum und die Uhrzeit" })
      .many(1, 10)
      .positional()
      .names({ de: "wann" }),
  },
  guards: [teamRoomOnly],
  examples: ["meeting move 2 next monday 10:00", "meeting move 2 morgen 15 Uhr"],
  async handler(ctx, { id, words }) {
    const meeting = await findMeeting(ctx, id, true);
    const split = splitWhen(words, { lang: ctx.lang, timeZone: ctx.timeZone, now: ctx.now }, 0);
    if (typeof split === "string") throw whenError(split, words.join(" "));
    if (split.consumed !== words.length) throw whenError("unparseable", words.join(" "));
    const moved = await ctx.db.$transaction(async (tx) => {
      const row = await tx.meeting.update({
        where: { id },
        data: {
          startsAt: split.when.at,
          allDay: split.when.allDay,
          durationMinutes: split.when.allDay ? 24 * 60 : meeting.allDay ? 60 : meeting.durationMinutes,
        },
      });
      await planMeetingReminders(ctx, row, tx, ctx.now);
      return row;
    });
    return [
      ctx.reply(
        [
          paragraph(
            ...ctx.tr.tm("meetings.moved", {
              id,
              title: meeting.title,
              when: meetingTime(moved, ctx.timeZone),
              relative: time(moved.startsAt, "relative"),
            }),
          ),
        ],
        { tone: "success" },
      ),
      ctx.toTeam((tr) => [
        paragraph(
          ...tr.tm("meetings.movedTeam", {
            title: meeting.title,
            from: meetingTime(meeting, ctx.team.timeZone),
            when: meetingTime(moved, ctx.team.timeZone),
          }),
        ),
      ]),
    ];
  },
});

const ics = defineCommand({
  path: ["meeting", "ics"],
  aliases: [["treffen", "kalender"]],
  category: "meetings",
  description: { en: "The meeting as a calendar file (.ics)", de: "Das Treffen als Kalenderdatei (.ics)" },
  args: { id: idArg },
  examples: ["meeting ics 2"],
  async handler(ctx, { id }) {
    const meeting = await findMeeting(ctx, id, false);
    const file = meetingIcs(meeting, ctx.team.name, ctx.team.timeZone);
    return ctx.reply(
      [
        paragraph(
          ...ctx.tr.tm("meetings.icsReady", {
            title: meeting.title,
            when: meetingTime(meeting, ctx.timeZone),
          }),
        ),
      ],
      { attachments: [file] },
    );
  },
});

const off = ["off", "aus", "none", "keine"];

const reminderSettings = defineCommand({
  path: ["settings", "team", "meeting-reminders"],
  aliases: [["einstellungen", "team", "treffen-erinnerungen"]],
  names: { de: "treffen-erinnerungen" },
  category: "meetings",
  description: {
    en: "When meeting reminders go out, e.g. 1d 15m, or off (coordinators)",
    de: "Wann Erinnerungen an Treffen kommen, z. B. 1d 15m, oder aus (Koordination)",
  },
  args: {
    offsets: arg
      .string(
        {
          en: "Times before the meeting, e.g. 1d 15m; or off",
          de: "Zeiten vor dem Treffen, z. B. 1d 15m; oder aus",
        },
        { max: 20 },
      )
      .many(0, 6)
      .positional()
      .names({ de: "zeiten" }),
  },
  guards: [teamRoomOnly, coordinatorOnly],
  examples: [
    "settings team meeting-reminders 1d 15m",
    "settings team meeting-reminders 2h",
    "settings team meeting-reminders off",
  ],
  async handler(ctx, { offsets }) {
    if (offsets.length === 0) {
      const current = await reminderOffsets(ctx.db, ctx.team.ref);
      return ctx.reply([
        paragraph(
          ...(current.length > 0
            ? ctx.tr.tm("meetings.offsetsCurrent", { offsets: formatOffsets(current, ctx.lang) })
            : ctx.tr.tm("meetings.offsetsOff")),
        ),
      ]);
    }
    let minutes: number[];
    if (offsets.length === 1 && off.includes(offsets[0]?.toLowerCase() ?? "")) minutes = [];
    else {
      minutes = [];
      for (const o of offsets) {
        const d = parseDuration(o);
        const m = d ? Math.round(d.as("minutes")) : 0;
        if (!d || m < 1 || m > 60 * 24 * 60)
          throw new UserError("meetings.errors.offsets", { value: offsets.join(" ") });
        minutes.push(m);
      }
      minutes = [...new Set(minutes)].sort((a, b) => b - a);
    }
    await setReminderOffsets(ctx.db, ctx.team.ref, minutes);
    return ctx.reply(
      [
        paragraph(
          ...(minutes.length > 0
            ? ctx.tr.tm("meetings.offsetsSet", { offsets: formatOffsets(minutes, ctx.lang) })
            : ctx.tr.tm("meetings.offsetsOff")),
        ),
      ],
      { tone: "success" },
    );
  },
});

export const meetingFamily: CommandFamily = {
  name: "meeting",
  description: { en: "Meetings", de: "Treffen" },
  commands: [create, listCommand, info, cancel, move, ics, reminderSettings],
  locales: meetingLocales,
  jobs: [meetingRemindJob],
};
