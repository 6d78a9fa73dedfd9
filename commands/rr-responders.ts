import { arg } from "../src/core/args.ts";
import { UserError } from "../src/core/errors.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { paragraph, type Span, time } from "../src/core/message.ts";
import { dateSpan, whenInstant } from "../src/core/when-args.ts";
import { rosterView } from "../src/features/rapid/views.ts";
import { type Ctx, defineCommand, scopeOf } from "./define.ts";

/** Rapid response: a member's availability and skills, and the team's roster (part of the "rr" family). */

const p = (spans: Span[]) => paragraph(...spans);

export const available = defineCommand({
  path: ["rr", "available"],
  category: "rapid",
  args: {
    state: arg
      .choice(["on", "off", "until", "an", "aus", "bis"])
      .positional()
      .optional(),
    until: arg
      .when()
      .optional()
      .rest(),
  },
  async handler(ctx, args) {
    const tr = ctx.tr;
    const state =
      args.state === "an" ? "on" : args.state === "aus" ? "off" : args.state === "bis" ? "until" : args.state;
    if (state === undefined) {
      const now = await ctx.services.rapid.availability(ctx.actor, ctx.now);
      const key = !now.available
        ? "rr.available.statusOff"
        : now.until
          ? "rr.available.statusUntil"
          : "rr.available.statusOn";
      return ctx.reply([p(tr.tm(key, now.until ? { at: time(now.until, "datetime") } : {}))]);
    }
    if (state === "off") {
      if (args.until) throw new UserError("rr.errors.offTakesNoTime");
      await ctx.services.rapid.setAvailability(ctx.actor, false, null);
      return ctx.reply([p(tr.tm("rr.available.off"))], { tone: "success" });
    }
    if (state === "until" && !args.until) throw new UserError("rr.errors.untilMissing");
    // "until Friday": all of Friday, in the member's zone.
    const until = args.until ? whenInstant(args.until, "until", ctx.timeZone) : null;
    await ctx.services.rapid.setAvailability(ctx.actor, true, until);
    // "until Friday" is said back as the day it is, not as Saturday 00:00.
    const said =
      args.until?.kind === "date"
        ? tr.tm("rr.available.untilDay", { day: dateSpan(args.until.date) })
        : until
          ? tr.tm("rr.available.until", { at: time(until, "datetime") })
          : tr.tm("rr.available.on");
    return ctx.reply(
      [p(said)],
      {
        tone: "success",
      },
    );
  },
});

const skillsWords = () =>
  arg
    .string({ max: 200 })
    .positional()
    .many(1, 20);

const skillsReply = (ctx: Ctx, skills: string[]) =>
  ctx.reply([
    p(
      skills.length > 0
        ? ctx.tr.tm("rr.skills.yours", { skills: skills.join(", ") })
        : ctx.tr.tm("rr.skills.none"),
    ),
  ]);

export const skillsShow = defineCommand({
  path: ["rr", "skills", "show"],
  readOnly: true,
  isDefault: true,
  category: "rapid",
  args: {},
  async handler(ctx) {
    return skillsReply(ctx, await ctx.services.rapid.skills(ctx.actor));
  },
});

export const skillsAdd = defineCommand({
  path: ["rr", "skills", "add"],
  category: "rapid",
  args: { skills: skillsWords() },
  async handler(ctx, args) {
    return skillsReply(ctx, await ctx.services.rapid.addSkills(ctx.actor, args.skills));
  },
});

export const skillsRemove = defineCommand({
  path: ["rr", "skills", "remove"],
  category: "rapid",
  args: { skills: skillsWords() },
  async handler(ctx, args) {
    return skillsReply(ctx, await ctx.services.rapid.removeSkills(ctx.actor, args.skills));
  },
});

export const rosterCommand = defineCommand({
  path: ["rr", "roster"],
  readOnly: true,
  category: "rapid",
  args: {},
  guards: [teamRoomOnly],
  async handler(ctx) {
    const { entries, known } = await ctx.services.rapid.roster(scopeOf(ctx));
    return ctx.reply(rosterView(ctx.tr, entries, known));
  },
});
