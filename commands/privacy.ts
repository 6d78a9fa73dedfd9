import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { action, heading, list, paragraph, type Span, time } from "../src/core/message.ts";
import { defineCommand, type Family, scopeOf } from "./define.ts";

/** A former member of this team (coordinators); without it the command is about the caller. */
const memberArg = arg.member().optional().positional();
const confirmArg = arg.flag();

const exportCommand = defineCommand({
  path: ["privacy", "export"],
  noRoomPosts: true,
  category: "general",
  args: { member: memberArg },
  async handler(ctx, { member }) {
    const { subject, data } = await ctx.services.privacy.exportData(scopeOf(ctx), member);
    const file = {
      filename: `teambot-data-${ctx.now.toISOString().slice(0, 10)}.json`,
      contentType: "application/json",
      content: `${JSON.stringify({ exportedAt: ctx.now, ...data }, null, 2)}\n`,
    };
    const own = subject.id === ctx.member.id;
    const name = subject.displayName || subject.ref;
    return [
      await ctx.toMember(
        ctx.member.ref,
        ({ tr }) => [paragraph(...tr.tm(own ? "privacy.exportFile" : "privacy.exportFileOf", { name }))],
        { attachments: [file] },
      ),
      ctx.ephemeral([paragraph(...ctx.tr.tm("privacy.exportSent"))], { tone: "success" }),
    ];
  },
});

const forget = defineCommand({
  path: ["privacy", "forget"],
  noRoomPosts: true,
  category: "general",
  args: { member: memberArg, confirm: confirmArg },
  async handler(ctx, { member, confirm }) {
    const confirmLine = `privacy forget${member ? ` ${member}` : ""} --confirm`;
    if (!confirm) {
      const key = member ? "privacy.forgetAskOf" : "privacy.forgetAsk";
      return ctx.ephemeral([paragraph(...ctx.tr.tm(key, { command: confirmLine }))], {
        tone: "warning",
        actions: [action(ctx.tr.t("privacy.forgetButton"), confirmLine, "danger")],
      });
    }
    const subject = await ctx.services.privacy.forget(scopeOf(ctx), member);
    const key = subject.id === ctx.member.id ? "privacy.forgotten" : "privacy.forgottenOf";
    return ctx.ephemeral([paragraph(...ctx.tr.tm(key))], { tone: "success" });
  },
});

const auditCommand = defineCommand({
  path: ["privacy", "audit"],
  noRoomPosts: true,
  category: "general",
  args: {},
  guards: [teamRoomOnly],
  async handler(ctx) {
    const entries = await ctx.services.privacy.auditLog(scopeOf(ctx));
    if (entries.length === 0) return ctx.ephemeral([paragraph(...ctx.tr.tm("privacy.auditEmpty"))]);
    const line = (e: (typeof entries)[number]): Span[] =>
      ctx.tr.tm("privacy.auditLine", {
        at: time(e.at),
        actor: e.actor.displayName || e.actor.ref,
        action: e.action,
        details: [JSON.stringify(e.details), e.subject ? `→ ${e.subject.displayName || e.subject.ref}` : ""].join(" ").trim(),
      });
    return ctx.ephemeral([heading(ctx.tr.t("privacy.auditTitle")), list(entries.map(line))]);
  },
});

const retention = defineCommand({
  path: ["privacy", "retention"],
  noRoomPosts: true,
  category: "general",
  args: { days: arg.integer({ min: 1, max: 100_000 }).optional().positional() },
  guards: [teamRoomOnly],
  async handler(ctx, { days }) {
    if (days === undefined) {
      return ctx.ephemeral([paragraph(...ctx.tr.tm("privacy.retentionIs", { days: ctx.team.retentionDays }))]);
    }
    const set = await ctx.services.privacy.setRetention(scopeOf(ctx), days);
    return ctx.ephemeral([paragraph(...ctx.tr.tm("privacy.retentionSet", { days: set }))], { tone: "success" });
  },
});

export const privacyFamily: Family = {
  name: "privacy",
  namespace: "privacy",
  commands: [exportCommand, forget, auditCommand, retention],
};
