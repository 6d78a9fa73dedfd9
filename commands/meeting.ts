import { Duration } from "luxon";
import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, mention, paragraph, type Span, time } from "../src/core/message.ts";
import type { Language } from "../src/core/time.ts";
import { dateSpan } from "../src/core/when-args.ts";
import { describeRule } from "../src/core/when/index.ts";
import { dayCount, lastDay, meetingTime } from "../src/features/meetings/calendar.ts";
import { meetingLocales } from "../src/features/meetings/locales.ts";
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

const idArg = arg.integer({ en: "The meeting's number", de: "Nummer des Treffens" }, { min: 1 }).positional();

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
    id: meeting.id,
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

const titleArg = arg
  .string({ en: "Title (quoted if it has spaces)", de: "Titel (mit Leerzeichen in Anführungszeichen)" }, { max: 200 })
  .positional()
  .names({ de: "titel" });
const whenArg = arg
  .when({ en: "When: a date and time, or a whole day", de: "Wann: Datum und Uhrzeit, oder ein ganzer Tag" })
  .takes(meetingDateWords)
  .names({ de: "wann" });
const durationArg = arg
  .duration({ en: "How long, e.g. 90m, 2h or 2d", de: "Wie lange, z. B. 90m, 2h oder 2d" }, { maxDays: maxMeetingDays })
  .optional()
  .takes(meetingDurationWords)
  .names({ de: "dauer" });
const placeArg = arg
  .string({ en: "Place or link", de: "Ort oder Link" }, { max: 4000 })
  .optional()
  .rest()
  .names({ de: "ort" });

const create = defineCommand({
  path: ["meeting", "create"],
  aliases: [["treffen", "neu"]],
  category: "meetings",
  description: { en: "Plan a team meeting", de: "Ein Treffen des Teams planen" },
  // Typed as text, date, duration and place are one run of words ("friday 14:00 90m town hall").
  args: { title: titleArg, when: whenArg, duration: durationArg, place: placeArg },
  guards: [teamRoomOnly],
  examples: [
    "meeting create Plenum friday 14:00 90m town hall",
    "meeting create Klausur 1.4. ganztägig",
    "meeting create Retreat 4.12. 2d Waldheim",
    'meeting create "Team round" morgen 10 Uhr 1h https://meet.example.org/team',
  ],
  async handler(ctx, args) {
    const details = await ctx.services.meetings.plan(scopeOf(ctx), args);
    return ctx.reply([paragraph(...summary(ctx, details.meeting)), paragraph(...remindersLine(ctx, details))], {
      tone: "success",
    });
  },
});

const series = defineCommand({
  path: ["meeting", "series"],
  aliases: [["treffen", "serie"]],
  names: { de: "serie" },
  category: "meetings",
  description: { en: "Plan a repeating team meeting", de: "Ein regelmäßiges Treffen des Teams planen" },
  args: {
    title: titleArg,
    rule: arg
      .rule({
        en: "How often, e.g. every monday 10:00, first monday of the month 18:00",
        de: "Wie oft, z. B. jeden Montag um 10, jeden ersten Montag im Monat 18 Uhr",
      })
      .takes(meetingRuleWords)
      .names({ de: "regel" }),
    duration: durationArg,
    place: placeArg,
  },
  guards: [teamRoomOnly],
  examples: [
    "meeting series Plenum every monday 10:00 90m town hall",
    "meeting series Teamrunde jeden ersten Montag im Monat um 18 Uhr 2h Rathaus",
  ],
  async handler(ctx, args) {
    const details = await ctx.services.meetings.planSeries(scopeOf(ctx), args);
    return ctx.reply([paragraph(...summary(ctx, details.meeting)), paragraph(...remindersLine(ctx, details))], {
      tone: "success",
    });
  },
});

const listCommand = defineCommand({
  path: ["meeting", "list"],
  aliases: [["treffen", "liste"]],
  category: "meetings",
  description: { en: "Upcoming meetings of this team", de: "Kommende Treffen dieses Teams" },
  args: {},
  async handler(ctx) {
    const upcoming = await ctx.services.meetings.upcoming(scopeOf(ctx));
    if (upcoming.length === 0) return ctx.reply([paragraph(...ctx.tr.tm("meetings.listEmpty"))]);
    const item = (m: Meeting) =>
      ctx.tr.tm(m.rule ? "meetings.listItemSeries" : "meetings.listItem", {
        id: m.id,
        when: meetingTime(m, ctx.now),
        title: m.title,
        rule: repeats(m, ctx.lang),
      });
    return ctx.reply([heading(ctx.tr.t("meetings.listTitle")), list(upcoming.map(item))]);
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
    const blocks = [paragraph(...ctx.tr.tm("meetings.info", { id: meeting.id, title: meeting.title })), list(lines)];
    if (meeting.status === "cancelled") blocks.push(paragraph(...ctx.tr.tm("meetings.infoCancelled")));
    else blocks.push(paragraph(...remindersLine(ctx, details)));
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
  aliases: [["treffen", "verschieben"]],
  category: "meetings",
  description: {
    en: "Move a meeting (its reminders follow)",
    de: "Ein Treffen verschieben (die Erinnerungen folgen)",
  },
  args: {
    id: idArg,
    when: arg
      .when({ en: "The new date and time", de: "Das neue Datum und die Uhrzeit" })
      .takes(meetingMoveWords)
      .names({ de: "wann" }),
  },
  guards: [teamRoomOnly],
  examples: ["meeting move 2 next monday 10:00", "meeting move 2 morgen 15 Uhr"],
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
  aliases: [["treffen", "kalender"]],
  category: "meetings",
  description: { en: "The meeting as a calendar file (.ics)", de: "Das Treffen als Kalenderdatei (.ics)" },
  args: { id: idArg },
  examples: ["meeting ics 2"],
  async handler(ctx, { id }) {
    const { meeting, file } = await ctx.services.meetings.calendarFile(scopeOf(ctx), id);
    const params = { title: meeting.title, when: meetingTime(meeting) };
    return ctx.reply([paragraph(...ctx.tr.tm("meetings.icsReady", params))], { attachments: [file] });
  },
});

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
  guards: [teamRoomOnly],
  examples: [
    "settings team meeting-reminders 1d 15m",
    "settings team meeting-reminders 2h",
    "settings team meeting-reminders off",
  ],
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
  description: { en: "Meetings", de: "Treffen" },
  commands: [create, series, listCommand, info, cancel, move, ics, reminderSettings],
  locales: meetingLocales,
};
