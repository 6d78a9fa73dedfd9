import { Duration } from "luxon";
import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, mention, paragraph, type Span, time } from "../src/core/message.ts";
import { intlLocale, type Language } from "../src/core/time.ts";
import { meetingTime } from "../src/features/meetings/calendar.ts";
import type { MeetingDetails } from "../src/features/meetings/service.ts";
import {
  maxMeetingDays,
  meetingDateWords,
  meetingDurationWords,
  meetingMoveWords,
} from "../src/features/meetings/words.ts";
import type { Meeting } from "../src/generated/prisma/client.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";

const idArg = arg.integer({ min: 1 }).positional();

/** "1 day and 15 minutes" / "1 Tag und 15 Minuten", as Intl writes it in the reader's language. */
export function formatOffsets(offsets: readonly number[], lang: Language): string {
  const parts = offsets.map((minutes) => {
    const d = Duration.fromObject({ minutes }).shiftTo("days", "hours", "minutes");
    const units = (["days", "hours", "minutes"] as const).filter((u) => d.get(u) !== 0);
    return Duration.fromObject(Object.fromEntries(units.map((u) => [u, d.get(u)])), {
      locale: intlLocale(lang),
    }).toHuman({ listStyle: "narrow" });
  });
  return new Intl.ListFormat(intlLocale(lang), { type: "conjunction" }).format(parts);
}

function summary(ctx: Ctx, meeting: Meeting): Span[] {
  const params = {
    id: meeting.number,
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

const remindersLine = (ctx: Ctx, { reminders }: MeetingDetails): Span[] =>
  reminders.length > 0
    ? ctx.tr.tm("meetings.remindersPlanned", { offsets: formatOffsets(reminders, ctx.lang) })
    : ctx.tr.tm("meetings.noReminders");

const create = defineCommand({
  path: ["meeting", "create"],
  category: "meetings",
  // Typed as text, date, duration and place are one run of words ("next friday 14:00 90m town hall").
  args: {
    title: arg
      .string({ max: 200 })
      .positional(),
    when: arg
      .when()
      .takes(meetingDateWords),
    duration: arg
      .duration({ maxDays: maxMeetingDays })
      .optional()
      .takes(meetingDurationWords),
    place: arg
      .string({ max: 4000 })
      .optional()
      .rest(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const details = await ctx.services.meetings.plan(scopeOf(ctx), args);
    return ctx.reply([paragraph(...summary(ctx, details.meeting)), paragraph(...remindersLine(ctx, details))], {
      tone: "success",
    });
  },
});

const listCommand = defineCommand({
  path: ["meeting", "list"],
  readOnly: true,
  category: "meetings",
  args: {},
  async handler(ctx) {
    const upcoming = await ctx.services.meetings.upcoming(scopeOf(ctx));
    if (upcoming.length === 0) return ctx.reply([paragraph(...ctx.tr.tm("meetings.listEmpty"))]);
    const item = (m: Meeting) =>
      ctx.tr.tm("meetings.listItem", { id: m.number, when: meetingTime(m, ctx.timeZone), title: m.title });
    return ctx.reply([heading(ctx.tr.t("meetings.listTitle")), list(upcoming.map(item))]);
  },
});

const info = defineCommand({
  path: ["meeting", "info"],
  readOnly: true,
  category: "meetings",
  args: { id: idArg },
  async handler(ctx, { id }) {
    const details = await ctx.services.meetings.details(scopeOf(ctx), id);
    const { meeting, creator } = details;
    const lines: Span[][] = [
      ctx.tr.tm("meetings.infoWhen", {
        when: meetingTime(meeting, ctx.timeZone),
        relative: time(meeting.startsAt, "relative"),
      }),
    ];
    if (!meeting.allDay) lines.push(ctx.tr.tm("meetings.infoDuration", { duration: meeting.durationMinutes }));
    if (meeting.location) lines.push(ctx.tr.tm("meetings.infoWhere", { location: meeting.location }));
    const by = mention(meeting.createdBy, creator?.displayName || meeting.createdBy);
    lines.push(ctx.tr.tm("meetings.infoBy", { creator: by }));
    const blocks = [paragraph(...ctx.tr.tm("meetings.info", { id: meeting.number, title: meeting.title })), list(lines)];
    if (meeting.status === "cancelled") blocks.push(paragraph(...ctx.tr.tm("meetings.infoCancelled")));
    else blocks.push(paragraph(...remindersLine(ctx, details)));
    return ctx.reply(blocks);
  },
});

const cancel = defineCommand({
  path: ["meeting", "cancel"],
  category: "meetings",
  args: { id: idArg },
  guards: [teamRoomOnly],
  async handler(ctx, { id }) {
    const meeting = await ctx.services.meetings.cancel(scopeOf(ctx), id);
    const when = meetingTime(meeting, ctx.team.timeZone);
    return [
      ctx.reply([paragraph(...ctx.tr.tm("meetings.cancelled", { id, title: meeting.title }))], { tone: "success" }),
      ctx.toTeam((tr) => [paragraph(...tr.tm("meetings.cancelledTeam", { title: meeting.title, when }))]),
    ];
  },
});

const move = defineCommand({
  path: ["meeting", "move"],
  category: "meetings",
  args: {
    id: idArg,
    when: arg
      .when()
      .takes(meetingMoveWords),
  },
  guards: [teamRoomOnly],
  async handler(ctx, { id, when }) {
    const { before, after } = await ctx.services.meetings.move(scopeOf(ctx), id, when);
    const moved = {
      id,
      title: before.title,
      when: meetingTime(after, ctx.timeZone),
      relative: time(after.startsAt, "relative"),
    };
    return [
      ctx.reply([paragraph(...ctx.tr.tm("meetings.moved", moved))], { tone: "success" }),
      ctx.toTeam((tr) => [
        paragraph(
          ...tr.tm("meetings.movedTeam", {
            title: before.title,
            from: meetingTime(before, ctx.team.timeZone),
            when: meetingTime(after, ctx.team.timeZone),
          }),
        ),
      ]),
    ];
  },
});

const ics = defineCommand({
  path: ["meeting", "ics"],
  readOnly: true,
  category: "meetings",
  args: { id: idArg },
  async handler(ctx, { id }) {
    const { meeting, file } = await ctx.services.meetings.calendarFile(scopeOf(ctx), id);
    const params = { title: meeting.title, when: meetingTime(meeting, ctx.timeZone) };
    return ctx.reply([paragraph(...ctx.tr.tm("meetings.icsReady", params))], { attachments: [file] });
  },
});

const reminderSettings = defineCommand({
  path: ["settings", "team", "meeting-reminders"],
  category: "meetings",
  args: {
    offsets: arg
      .string({ max: 20 })
      .many(0, 6)
      .positional(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, { offsets }) {
    const meetings = ctx.services.meetings;
    if (offsets.length === 0) {
      const current = await meetings.reminderOffsets(scopeOf(ctx));
      return ctx.reply([
        paragraph(
          ...(current.length > 0
            ? ctx.tr.tm("meetings.offsetsCurrent", { offsets: formatOffsets(current, ctx.lang) })
            : ctx.tr.tm("meetings.offsetsOff")),
        ),
      ]);
    }
    const minutes = await meetings.setReminderOffsets(scopeOf(ctx), offsets);
    const set =
      minutes.length > 0
        ? ctx.tr.tm("meetings.offsetsSet", { offsets: formatOffsets(minutes, ctx.lang) })
        : ctx.tr.tm("meetings.offsetsOff");
    return ctx.reply([paragraph(...set)], { tone: "success" });
  },
});

export const meetingFamily: Family = {
  name: "meeting",
  namespace: "meetings",
  commands: [create, listCommand, info, cancel, move, ics, reminderSettings],
};
