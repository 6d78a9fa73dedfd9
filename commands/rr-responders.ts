import { arg } from "../src/core/args.ts";
import { type CommandContext, defineCommand } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { paragraph, type Span, time } from "../src/core/message.ts";
import { normalizeSkills } from "../src/features/rapid/model.ts";
import {
  addSkills,
  getAvailability,
  knownSkills,
  memberSkills,
  removeSkills,
  roster,
  setAvailability,
} from "../src/features/rapid/responders.ts";
import { rosterView } from "../src/features/rapid/views.ts";

/** Rapid response: a member's availability and skills, and the team's roster (part of the "rr" family). */

const p = (spans: Span[]) => paragraph(...spans);

export const available = defineCommand({
  path: ["rr", "available"],
  category: "rapid",
  description: { en: "Whether you can take requests now", de: "Ob du gerade Anfragen übernehmen kannst" },
  args: {
    state: arg
      .choice({ en: "on, off or until", de: "an, aus oder bis" }, ["on", "off", "until", "an", "aus", "bis"])
      .positional()
      .optional(),
    until: arg
      .when({ en: "Until when (with until)", de: "Bis wann (mit bis)" })
      .optional()
      .rest()
      .names({ de: "zeit" }),
  },
  examples: ["rr available on", "rr available until 18:00", "rr available off"],
  async handler(ctx, args) {
    const tr = ctx.tr;
    const state =
      args.state === "an" ? "on" : args.state === "aus" ? "off" : args.state === "bis" ? "until" : args.state;
    if (state === undefined) {
      const now = await getAvailability(ctx.db, ctx.member.id, ctx.now);
      const key = !now.available
        ? "rr.available.statusOff"
        : now.until
          ? "rr.available.statusUntil"
          : "rr.available.statusOn";
      return ctx.reply([p(tr.tm(key, now.until ? { at: time(now.until, "datetime") } : {}))]);
    }
    if (state === "off") {
      if (args.until) throw new UserError("rr.errors.offTakesNoTime");
      await setAvailability(ctx.db, ctx.member.id, false, null);
      return ctx.reply([p(tr.tm("rr.available.off"))], { tone: "success" });
    }
    if (state === "until" && !args.until) throw new UserError("rr.errors.untilMissing");
    const until = args.until?.at ?? null;
    await setAvailability(ctx.db, ctx.member.id, true, until);
    return ctx.reply(
      [p(until ? tr.tm("rr.available.until", { at: time(until, "datetime") }) : tr.tm("rr.available.on"))],
      {
        tone: "success",
      },
    );
  },
});

const skillsWords = () =>
  arg
    .string({ en: "Skills, e.g. dari driving", de: "Fähigkeiten, z. B. dari fuehrerschein" }, { max: 200 })
    .positional()
    .many(1, 20)
    .names({ de: "fähigkeit" });

const skillsReply = (ctx: CommandContext, skills: string[]) =>
  ctx.reply([
    p(
      skills.length > 0
        ? ctx.tr.tm("rr.skills.yours", { skills: skills.join(", ") })
        : ctx.tr.tm("rr.skills.none"),
    ),
  ]);

export const skillsShow = defineCommand({
  path: ["rr", "skills", "show"],
  isDefault: true,
  category: "rapid",
  description: { en: "Your skills", de: "Deine Fähigkeiten" },
  args: {},
  async handler(ctx) {
    return skillsReply(ctx, await memberSkills(ctx.db, ctx.member.id));
  },
});

export const skillsAdd = defineCommand({
  path: ["rr", "skills", "add"],
  category: "rapid",
  description: { en: "Add skills you offer", de: "Fähigkeiten eintragen, die du anbietest" },
  args: { skills: skillsWords() },
  examples: ["rr skills add dari farsi driving"],
  async handler(ctx, args) {
    return skillsReply(ctx, await addSkills(ctx.db, ctx.member.id, normalizeSkills(args.skills)));
  },
});

export const skillsRemove = defineCommand({
  path: ["rr", "skills", "remove"],
  category: "rapid",
  description: { en: "Remove skills from your list", de: "Fähigkeiten aus deiner Liste streichen" },
  args: { skills: skillsWords() },
  examples: ["rr skills remove driving"],
  async handler(ctx, args) {
    return skillsReply(ctx, await removeSkills(ctx.db, ctx.member.id, normalizeSkills(args.skills)));
  },
});

export const rosterCommand = defineCommand({
  path: ["rr", "roster"],
  category: "rapid",
  description: {
    en: "Who is available, with which skills",
    de: "Wer verfügbar ist, mit welchen Fähigkeiten",
  },
  args: {},
  guards: [teamRoomOnly],
  async handler(ctx) {
    const entries = await roster(ctx.db, ctx.team.id, ctx.now);
    return ctx.reply(rosterView(ctx.tr, entries, await knownSkills(ctx.db, ctx.team.id)));
  },
});
