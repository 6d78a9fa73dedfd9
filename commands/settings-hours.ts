import { arg } from "../src/core/args.ts";
import { UserError } from "../src/core/errors.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, paragraph } from "../src/core/message.ts";
import { dayPartsOf } from "../src/core/when-args.ts";
import { type DayPart, defaultDayPartHours } from "../src/core/when/index.ts";
import { dayParts, fold } from "../src/core/when/words.ts";
import { defineCommand, scopeOf } from "./define.ts";

const parts = Object.keys(defaultDayPartHours) as DayPart[];
const hour = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** "8", "8:00", "08:00", "8 Uhr", "8h": a whole hour of the day. */
function hourOf(typed: string): number | undefined {
  const m = /^(\d{1,2})(?::00)?\s*(?:uhr|h)?$/i.exec(typed.trim());
  const h = m ? Number(m[1]) : Number.NaN;
  return h >= 0 && h <= 23 ? h : undefined;
}

/**
 * The hours a team's parts of the day mean ("morgens" 9:00, "abends" 19:00): what "morgen
 * früh" and "heute Abend" are, and when a reminder for a whole day comes (the morning hour).
 */
export const teamHours = defineCommand({
  path: ["settings", "team", "hours"],
  category: "general",
  args: {
    part: arg.string({ max: 20 }).positional().optional(),
    hour: arg.string({ max: 10 }).optional().rest(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const own = dayPartsOf(ctx.team);
    if (args.part !== undefined) {
      const part = dayParts.get(fold(args.part));
      const h = args.hour === undefined ? undefined : hourOf(args.hour);
      if (!part || h === undefined) throw new UserError("settings.hours.invalid", { value: `${args.part} ${args.hour ?? ""}`.trim() });
      const changed = { ...own, [part]: h };
      await ctx.services.directory.setTeamSettings(scopeOf(ctx), { dayParts: changed });
      const set = ctx.tr.tm("settings.hours.set", { part: ctx.tr.t(`settings.hours.${part}`), hour: hour(h) });
      return ctx.reply([paragraph(...set)], { tone: "success" });
    }
    const lines = parts.map((p) =>
      ctx.tr.tm(own[p] === undefined ? "settings.hours.lineDefault" : "settings.hours.line", {
        part: ctx.tr.t(`settings.hours.${p}`),
        hour: hour(own[p] ?? defaultDayPartHours[p]),
      }),
    );
    return ctx.reply([heading(ctx.tr.t("settings.hours.title")), list(lines), paragraph(...ctx.tr.tm("settings.hours.hint"))]);
  },
});
