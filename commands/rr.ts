import { z } from "zod";
import { Arg, arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { whenInstant } from "../src/core/when-args.ts";
import { heading, list, type OutgoingMessage, paragraph, type Span } from "../src/core/message.ts";
import { nameOf, type RequestWithAll } from "../src/features/rapid/model.ts";
import { commandOutbox } from "../src/features/rapid/outbox.ts";
import type { RequestRef } from "../src/features/rapid/service.ts";
import {
  alertMessage,
  createdReply,
  infoView,
  listLine,
  requestPost,
  settingsView,
  statsView,
} from "../src/features/rapid/views.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";
import { pageArg, pageFooter } from "./paging.ts";
import { available, rosterCommand, skillsAdd, skillsRemove, skillsShow } from "./rr-responders.ts";

const p = (spans: Span[]) => paragraph(...spans);

/** A request's short id: "5" or "#5". */
function requestIdArg(): Arg<number> {
  return new Arg<number>(
    {
      kind: "integer",
      positional: true,
      required: true,
      variadic: false,
      min: 1,
    },
    (pc) =>
      z.union([z.number(), z.string()]).transform((value, issue) => {
        const typed = String(value).trim().replace(/^#/, "");
        if (/^\d{1,9}$/.test(typed) && Number(typed) >= 1) return Number(typed);
        issue.addIssue({
          code: "custom",
          message: pc.tr.t("rr.errors.badId", { value: String(value).slice(0, 20) }),
        });
        return z.NEVER;
      }),
  );
}

const teamOption = () =>
  arg
    .string({ max: 300 })
    .optional();

const textArg = () => arg.string({ max: 500 }).rest();
const optionalTextArg = () => arg.string({ max: 500 }).optional().rest();

/** The request a command names: by number in this team, or among the member's teams in a DM. */
const ref = (ctx: Ctx, number: number, teamRef: string | undefined): RequestRef => ({
  number,
  direct: ctx.invocation.isDirect,
  ...(teamRef ? { teamRef } : {}),
});

/** The room post (re-sent under its key) plus the answer to the invoker. */
function withPost(ctx: Ctx, r: RequestWithAll, answer: OutgoingMessage[]): OutgoingMessage[] {
  return [commandOutbox(ctx).room(r.team, (tr) => requestPost(tr, r)), ...answer];
}

const ask = defineCommand({
  path: ["rr", "ask"],
  isDefault: true,
  category: "rapid",
  args: {
    text: textArg(),
    urgent: arg.flag(),
    skill: arg.string({ max: 200 }).many(0, 10),
    need: arg.integer({ min: 1, max: 20 }).optional(),
    by: arg.when().optional(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const created = await ctx.services.rapid.ask(scopeOf(ctx), {
      text: args.text,
      urgent: args.urgent,
      need: args.need ?? 1,
      skills: args.skill,
      by: args.by ? whenInstant(args.by, "until", ctx.timeZone) : null,
    });
    const r = created.request;
    const out = commandOutbox(ctx);
    const messages: OutgoingMessage[] = [out.room(r.team, (tr) => requestPost(tr, r))];
    for (const m of created.alerted)
      messages.push(await out.member(m.ref, r.team, ({ tr }) => alertMessage(tr, r)));
    const reply = createdReply(ctx.tr, r, created.alerted, created.escalatesAt);
    const held = [p(ctx.tr.tm("rr.createdHeld", { id: r.number })), ...reply.slice(1)];
    messages.push(ctx.ephemeral(reply, { tone: "success", whenHeld: held }));
    return messages;
  },
});

const claim = defineCommand({
  path: ["rr", "claim"],
  category: "rapid",
  args: { id: requestIdArg(), team: teamOption() },
  async handler(ctx, args) {
    const { request: r, covered } = await ctx.services.rapid.claim(scopeOf(ctx), ref(ctx, args.id, args.team));
    const answer = covered
      ? ctx.tr.tm("rr.claimed.you", { id: r.number })
      : ctx.tr.tm("rr.claimed.youPartly", { id: r.number, have: r.claims.length, count: r.need });
    const messages = withPost(ctx, r, [ctx.reply([p(answer)], { tone: "success" })]);
    if (r.requesterId !== ctx.member.id) {
      messages.push(
        await commandOutbox(ctx).member(r.requester.ref, r.team, ({ tr }) => ({
          blocks: [p(tr.tm("rr.claimed.requester", { name: nameOf(ctx.member), id: r.number }))],
          tone: "success",
        })),
      );
    }
    return messages;
  },
});

const unclaim = defineCommand({
  path: ["rr", "unclaim"],
  category: "rapid",
  args: { id: requestIdArg(), team: teamOption() },
  async handler(ctx, args) {
    const { request: r, expired } = await ctx.services.rapid.unclaim(scopeOf(ctx), ref(ctx, args.id, args.team));
    const messages = withPost(ctx, r, [
      ctx.reply([p(ctx.tr.tm(expired ? "rr.unclaimed.youExpired" : "rr.unclaimed.you", { id: r.number }))]),
    ]);
    if (!expired && r.requesterId !== ctx.member.id) {
      messages.push(
        await commandOutbox(ctx).member(r.requester.ref, r.team, ({ tr }) => ({
          blocks: [p(tr.tm("rr.unclaimed.requester", { name: nameOf(ctx.member), id: r.number }))],
        })),
      );
    }
    return messages;
  },
});

const update = defineCommand({
  path: ["rr", "update"],
  category: "rapid",
  args: { id: requestIdArg(), text: textArg(), team: teamOption() },
  async handler(ctx, args) {
    const r = await ctx.services.rapid.update(scopeOf(ctx), ref(ctx, args.id, args.team), args.text);
    return withPost(ctx, r, [
      ctx.reply([p(ctx.tr.tm("rr.updated.you", { id: r.number }))], { tone: "success" }),
    ]);
  },
});

const resolve = defineCommand({
  path: ["rr", "resolve"],
  category: "rapid",
  args: {
    id: requestIdArg(),
    note: optionalTextArg(),
    team: teamOption(),
  },
  async handler(ctx, args) {
    const r = await ctx.services.rapid.resolve(scopeOf(ctx), ref(ctx, args.id, args.team), args.note ?? null);
    const messages = withPost(ctx, r, [
      ctx.reply([p(ctx.tr.tm("rr.resolved.you", { id: r.number }))], { tone: "success" }),
    ]);
    if (r.requesterId !== ctx.member.id) {
      messages.push(
        await commandOutbox(ctx).member(r.requester.ref, r.team, ({ tr }) => ({
          blocks: [p(tr.tm("rr.resolved.requester", { name: nameOf(ctx.member), id: r.number }))],
          tone: "success",
        })),
      );
    }
    return messages;
  },
});

const cancel = defineCommand({
  path: ["rr", "cancel"],
  category: "rapid",
  args: { id: requestIdArg(), team: teamOption() },
  async handler(ctx, args) {
    const r = await ctx.services.rapid.cancel(scopeOf(ctx), ref(ctx, args.id, args.team));
    const messages = withPost(ctx, r, [ctx.reply([p(ctx.tr.tm("rr.cancelled.you", { id: r.number }))])]);
    for (const c of r.claims) {
      if (c.memberId === ctx.member.id) continue;
      messages.push(
        await commandOutbox(ctx).member(c.member.ref, r.team, ({ tr }) => ({
          blocks: [p(tr.tm("rr.cancelled.claimer", { name: nameOf(ctx.member), id: r.number }))],
        })),
      );
    }
    return messages;
  },
});

const listCommand = defineCommand({
  path: ["rr", "list"],
  readOnly: true,
  category: "rapid",
  args: { page: pageArg },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const requests = await ctx.services.rapid.active(scopeOf(ctx), args.page);
    if (requests.total === 0) return ctx.reply([p(ctx.tr.tm("rr.list.empty"))]);
    return ctx.reply([
      heading(ctx.tr.t("rr.list.title")),
      list(requests.items.map((r) => listLine(ctx.tr, r))),
      ...pageFooter(ctx, requests, "rr list"),
    ]);
  },
});

const info = defineCommand({
  path: ["rr", "info"],
  readOnly: true,
  category: "rapid",
  args: { id: requestIdArg(), team: teamOption() },
  async handler(ctx, args) {
    const { request, events } = await ctx.services.rapid.info(scopeOf(ctx), ref(ctx, args.id, args.team));
    return ctx.reply(infoView(ctx.tr, request, events));
  },
});

const day = 86_400_000;

const stats = defineCommand({
  path: ["rr", "stats"],
  readOnly: true,
  category: "rapid",
  args: {
    period: arg.duration({ maxDays: 3660 }).positional().optional(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const periodMs = args.period ? Math.max(60_000, args.period.as("milliseconds")) : 30 * day;
    const figures = await ctx.services.rapid.stats(scopeOf(ctx), new Date(ctx.now.getTime() - periodMs));
    return ctx.reply(statsView(ctx.tr, figures, periodMs));
  },
});

const delay = () => arg.duration({ maxDays: 7 }).optional();

const settings = defineCommand({
  path: ["rr", "settings"],
  category: "rapid",
  args: {
    urgent: delay(),
    normal: delay(),
    repeats: arg.integer({ min: 0, max: 10 }).optional(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const rapid = ctx.services.rapid;
    const { urgent, normal, repeats } = args;
    if (!urgent && !normal && repeats === undefined)
      return ctx.reply(settingsView(ctx.tr, await rapid.settings(scopeOf(ctx))));
    const saved = await rapid.changeSettings(scopeOf(ctx), {
      ...(urgent ? { urgent } : {}),
      ...(normal ? { normal } : {}),
      ...(repeats === undefined ? {} : { repeats }),
    });
    return ctx.reply(settingsView(ctx.tr, saved), { tone: "success" });
  },
});

export const rrFamily: Family = {
  name: "rr",
  namespace: "rr",
  commands: [
    ask,
    claim,
    unclaim,
    update,
    resolve,
    cancel,
    listCommand,
    info,
    available,
    skillsShow,
    skillsAdd,
    skillsRemove,
    rosterCommand,
    stats,
    settings,
  ],
};
