import { Duration } from "luxon";
import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, mention, paragraph, type Span, time } from "../src/core/message.ts";
import { intlLocale, type Language } from "../src/core/time.ts";
import { dateSpan } from "../src/core/when-args.ts";
import { describeRule } from "../src/core/when/index.ts";
import { dayCount, lastDay, meetingTime } from "../src/features/meetings/calendar.ts";
import type { MeetingDetails } from "../src/features/meetings/service.ts";
import { nextStart, seriesOf } from "../src/features/meetings/series.ts";
import {
  maxMeetingDays,
  meetingDateWords,
  meetingDurationWords,
  meetingMoveWords,
  meetingRuleWords,
} from "../src/features/meetings/words.ts";
import type { Meeting } from "../src/generated/prisma/client.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";
import { pageArg, pageFooter } from "./paging.ts";

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

/** The days of a whole-day meeting: "Fri, 4 Dec 2026", or from the first to the last day. */
function daysSpans(ctx: Ctx, meeting: Meeting): Span[] {
  const last = lastDay(meeting);
  const when = meetingTime(meeting);
  return last ? ctx.tr.tm("meetings.days", { when, last: dateSpan(last), days: dayCount(meeting) }) : [when];
}

/** How a series repeats, in the reader's language ("Mo 10:00"). */
const repeats = (meeting: Meeting, lang: Language): string => {
  const series = seriesOf(meeting);
  return series ? describeRule(series.pattern, lang) : "";
};

function summary(ctx: Ctx, meeting: Meeting): Span[] {
  if (meeting.rule) {
    return ctx.tr.tm(meeting.location ? "meetings.seriesAt" : "meetings.series", {
      id: meeting.id,
      title: meeting.title,
      rule: repeats(meeting, ctx.lang),
      when: meetingTime(meeting),
      relative: time(meeting.startsAt, "relative"),
      duration: meeting.durationMinutes,
      location: meeting.location ?? "",
    });
  }
  const params = {
    id: meeting.number,
    title: meeting.title,
    when: meetingTime(meeting),
    relative: time(meeting.startsAt, "relative"),
    duration: meeting.durationMinutes,
    location: meeting.location ?? "",
  };
  if (meeting.allDay) {
    const spans = ctx.tr.tm(meeting.location ? "meetings.allDayAt" : "meetings.allDay", params);
    return spans.flatMap((s) => (s.kind === "time" && s.allDay ? daysSpans(ctx, meeting) : [s]));
  }
  return ctx.tr.tm(meeting.location ? "meetings.createdAt" : "meetings.created", params);
}

const remindersLine = (ctx: Ctx, { reminders }: MeetingDetails): Span[] =>
  reminders.length > 0
    ? ctx.tr.tm("meetings.remindersPlanned", { offsets: formatOffsets(reminders, ctx.lang) })
    : ctx.tr.tm("meetings.noReminders");

const titleArg = arg.string({ max: 200 }).positional();
const whenArg = arg.when().takes(meetingDateWords);
const durationArg = arg.duration({ maxDays: maxMeetingDays }).optional().takes(meetingDurationWords);
const placeArg = arg.string({ max: 4000 }).optional().rest();

const create = defineCommand({
  path: ["meeting", "create"],
  category: "meetings",
  // Typed as text, date, duration and place are one run of words ("friday 14:00 90m town hall").
  args: { title: titleArg, when: whenArg, duration: durationArg, place: placeArg },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const details = await ctx.services.meetings.plan(scopeOf(ctx), args);
    return ctx.reply([paragraph(...summary(ctx, details.meeting)), paragraph(...remindersLine(ctx, details))], {
      tone: "success",
    });
  },
});

const series = defineCommand({
  path: ["meeting", "series"],
  category: "meetings",
  args: { title: titleArg, rule: arg.rule().takes(meetingRuleWords), duration: durationArg, place: placeArg },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const details = await ctx.services.meetings.planSeries(scopeOf(ctx), args);
    return ctx.reply([paragraph(...summary(ctx, details.meeting)), paragraph(...remindersLine(ctx, details))], {
      tone: "success",
    });
  },
});

const listCommand = defineCommand({
  path: ["meeting", "list"],
  readOnly: true,
  category: "meetings",
  args: { page: pageArg },
  async handler(ctx, args) {
    const upcoming = await ctx.services.meetings.upcoming(scopeOf(ctx), args.page);
    if (upcoming.total === 0) return ctx.reply([paragraph(...ctx.tr.tm("meetings.listEmpty"))]);
    const item = (m: Meeting) =>
      ctx.tr.tm(m.rule ? "meetings.listItemSeries" : "meetings.listItem", {
        id: m.number,
        when: meetingTime(m, ctx.now),
        title: m.title,
        rule: repeats(m, ctx.lang),
      });
    return ctx.reply([
      heading(ctx.tr.t("meetings.listTitle")),
      list(upcoming.items.map(item)),
      ...pageFooter(ctx, upcoming, "meeting list"),
    ]);
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
      meeting.allDay
        ? ctx.tr.tm("meetings.infoDays", { when: meetingTime(meeting) }).flatMap((s) =>
            s.kind === "time" ? daysSpans(ctx, meeting) : [s],
          )
        : ctx.tr.tm("meetings.infoWhen", {
            when: meetingTime(meeting, ctx.now),
            relative: time(nextStart(meeting, ctx.now), "relative"),
          }),
    ];
    if (meeting.rule) lines.push(ctx.tr.tm("meetings.infoSeries", { rule: repeats(meeting, ctx.lang) }));
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
    const when = meetingTime(meeting);
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
      when: meetingTime(after),
      relative: time(after.startsAt, "relative"),
    };
    return [
      ctx.reply([paragraph(...ctx.tr.tm("meetings.moved", moved))], { tone: "success" }),
      ctx.toTeam((tr) => [
        paragraph(
          ...tr.tm("meetings.movedTeam", {
            title: before.title,
            from: meetingTime(before),
            when: meetingTime(after),
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
    const params = { title: meeting.title, when: meetingTime(meeting) };
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
  commands: [create, series, listCommand, info, cancel, move, ics, reminderSettings],
};
