import { z } from "zod";
import { action, type OutgoingMessage, paragraph, time } from "../../core/message.ts";
import { asLanguage, type Language } from "../../core/time.ts";
import { defineJob } from "../../scheduler/port.ts";
import { meetingTime } from "./calendar.ts";
import { meetingKeys, meetingRemindKind, planMeetingReminders } from "./reminders.ts";

export { meetingKeys, meetingRemindKind };

const payloadSchema = z.object({
  meetingId: z.number().int().positive(),
  offsetMinutes: z.number().int(),
  /** A series: the occurrence this reminder is for. */
  startsAt: z.coerce.date().optional(),
});

/** Reminder before a meeting, to the team's room in the team's language; a series then plans its next one. */
export const meetingRemindJob = defineJob({
  kind: meetingRemindKind,
  schema: payloadSchema,
  async run(payload, info, ctx): Promise<OutgoingMessage[]> {
    const meeting = await ctx.db.meeting.findUnique({ where: { id: payload.meetingId } });
    if (meeting?.status !== "scheduled") return [];
    if (meeting.rule) {
      // The series goes on: its next reminder (this occurrence's later one, or the next occurrence's).
      // In the job's own transaction: the next reminder is planned exactly when this one is done.
      await planMeetingReminders(ctx.scheduler, meeting, ctx.db, info.now);
    }
    const startsAt = payload.startsAt ?? meeting.startsAt;
    const team = await ctx.db.team.findUnique({ where: { ref: meeting.teamRef } });
    const lang: Language = asLanguage(team?.language);
    const tr = ctx.translator(lang);
    const blocks = [
      paragraph(
        ...tr.tm(meeting.location ? "meetings.reminderAt" : "meetings.reminder", {
          title: meeting.title,
          when: meetingTime({ ...meeting, startsAt }),
          relative: time(startsAt, "relative"),
          location: meeting.location ?? "",
        }),
      ),
    ];
    if (info.late) blocks.push(paragraph(...tr.tm("scheduler.late", { when: time(info.dueAt) })));
    return [
      {
        audience: { kind: "room", room: meeting.teamRef },
        lang,
        timeZone: team?.timeZone ?? "Europe/Berlin",
        tone: "info",
        blocks,
        actions: [
          action(tr.t("meetings.details"), `meeting info ${meeting.number}`),
          action(tr.t("meetings.calendar"), `meeting ics ${meeting.number}`),
        ],
        attachments: [],
      },
    ];
  },
});
