import { z } from "zod";
import { action, type OutgoingMessage, paragraph, time } from "../../core/message.ts";
import { asLanguage, type Language } from "../../core/time.ts";
import { defineJob } from "../../scheduler/port.ts";
import { meetingTime } from "./calendar.ts";

export const meetingRemindKind = "meeting.remind";

export const meetingKeys = {
  remind: (id: number, offset: number) => `meeting:${id}:remind:${offset}`,
  all: (id: number) => `meeting:${id}:*`,
};

const payloadSchema = z.object({ meetingId: z.number().int().positive(), offsetMinutes: z.number().int() });

/** Reminder before a meeting, to the team's room in the team's language. */
export const meetingRemindJob = defineJob({
  kind: meetingRemindKind,
  schema: payloadSchema,
  async run(payload, info, ctx): Promise<OutgoingMessage[]> {
    const meeting = await ctx.db.meeting.findUnique({ where: { id: payload.meetingId } });
    if (meeting?.status !== "scheduled") return [];
    const team = await ctx.db.team.findUnique({ where: { ref: meeting.teamRef } });
    const lang: Language = asLanguage(team?.language);
    const tr = ctx.translator(lang);
    const blocks = [
      paragraph(
        ...tr.tm(meeting.location ? "meetings.reminderAt" : "meetings.reminder", {
          title: meeting.title,
          when: meetingTime(meeting, team?.timeZone ?? "Europe/Berlin"),
          relative: time(meeting.startsAt, "relative"),
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
