import { z } from "zod";
import { Arg, arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { whenInstant } from "../src/core/when-args.ts";
import { heading, list, type OutgoingMessage, paragraph, type Span } from "../src/core/message.ts";
import { rapidLocales } from "../src/features/rapid/locales.ts";
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
import { available, rosterCommand, skillsAdd, skillsRemove, skillsShow } from "./rr-responders.ts";

const p = (spans: Span[]) => paragraph(...spans);

/** A request's short id: "5" or "#5". */
function requestIdArg(): Arg<number> {
  return new Arg<number>(
    {
      kind: "integer",
      description: { en: "The request's number, e.g. 5", de: "Die Nummer der Anfrage, z. B. 5" },
      names: { de: "nummer" },
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
    .string(
      {
        en: "The team (its room) when used in a direct conversation",
        de: "Das Team (sein Raum), wenn im Direktgespräch benutzt",
      },
      { max: 300 },
    )
    .optional();

const textArg = (en: string, de: string) => arg.string({ en, de }, { max: 500 }).rest();
const optionalTextArg = (en: string, de: string) => arg.string({ en, de }, { max: 500 }).optional().rest();

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
  description: { en: "Ask the team for help now", de: "Das Team jetzt um Hilfe bitten" },
  args: {
    text: textArg("What is needed", "Was gebraucht wird").names({ de: "was" }),
    urgent: arg.flag({ en: "Urgent: escalates sooner", de: "Dringend: eskaliert früher" }),
    skill: arg
      .string(
        { en: "A skill that is needed (repeat or use commas)", de: "Eine benötigte Fähigkeit" },
        { max: 200 },
      )
      .many(0, 10),
    need: arg
      .integer(
        { en: "How many people are needed", de: "Wie viele Personen gebraucht werden" },
        { min: 1, max: 20 },
      )
      .optional(),
    by: arg.when({ en: "Needed by (then it expires)", de: "Benötigt bis (dann läuft sie ab)" }).optional(),
  },
  guards: [teamRoomOnly],
  examples: [
    "rr Need a Dari interpreter at the Jobcenter tomorrow 8:00 --urgent --skill dari",
    'rr "Two drivers for a move on Saturday" --need 2 --skill driving --by "friday 18:00"',
  ],
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
    messages.push(
      ctx.ephemeral(createdReply(ctx.tr, r, created.alerted, created.escalatesAt), { tone: "success" }),
    );
    return messages;
  },
});

const claim = defineCommand({
  path: ["rr", "claim"],
  category: "rapid",
  description: { en: "Take a request (I'm on it)", de: "Eine Anfrage übernehmen" },
  args: { id: requestIdArg(), team: teamOption() },
  examples: ["rr claim 5"],
  async handler(ctx, args) {
    const { request: r, covered } = await ctx.services.rapid.claim(scopeOf(ctx), ref(ctx, args.id, args.team));
    const answer = covered
      ? ctx.tr.tm("rr.claimed.you", { id: r.number })
      : ctx.tr.tm("rr.claimed.youPartly", { id: r.number, have: r.claims.length, need: r.need });
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
  description: { en: "Step back from a request you took", de: "Von einer übernommenen Anfrage zurücktreten" },
  args: { id: requestIdArg(), team: teamOption() },
  examples: ["rr unclaim 5"],
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
  description: { en: "Add a status update to a request", de: "Neuen Stand zu einer Anfrage eintragen" },
  args: { id: requestIdArg(), text: textArg("The update", "Der neue Stand"), team: teamOption() },
  examples: ['rr update 5 "Interpreter found, waiting for confirmation"'],
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
  description: { en: "Mark a request as resolved", de: "Eine Anfrage als erledigt markieren" },
  args: {
    id: requestIdArg(),
    note: optionalTextArg("A closing note", "Eine Notiz zum Abschluss").names({ de: "notiz" }),
    team: teamOption(),
  },
  examples: ["rr resolve 5 went well"],
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
  description: { en: "Cancel a request", de: "Eine Anfrage abbrechen" },
  args: { id: requestIdArg(), team: teamOption() },
  examples: ["rr cancel 5"],
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
  category: "rapid",
  description: { en: "Open requests", de: "Offene Anfragen" },
  args: {},
  guards: [teamRoomOnly],
  async handler(ctx) {
    const requests = await ctx.services.rapid.active(scopeOf(ctx));
    if (requests.length === 0) return ctx.reply([p(ctx.tr.tm("rr.list.empty"))]);
    return ctx.reply([heading(ctx.tr.t("rr.list.title")), list(requests.map((r) => listLine(ctx.tr, r)))]);
  },
});

const info = defineCommand({
  path: ["rr", "info"],
  category: "rapid",
  description: { en: "A request with its timeline", de: "Eine Anfrage mit ihrem Verlauf" },
  args: { id: requestIdArg(), team: teamOption() },
  examples: ["rr info 5"],
  async handler(ctx, args) {
    const { request, events } = await ctx.services.rapid.info(scopeOf(ctx), ref(ctx, args.id, args.team));
    return ctx.reply(infoView(ctx.tr, request, events));
  },
});

const day = 86_400_000;

const stats = defineCommand({
  path: ["rr", "stats"],
  category: "rapid",
  description: { en: "How well requests are answered", de: "Wie gut Anfragen beantwortet werden" },
  args: {
    period: arg
      .duration(
        { en: "The period, e.g. 7d or 30d (default)", de: "Der Zeitraum, z. B. 7d oder 30d (Vorgabe)" },
        { maxDays: 3660 },
      )
      .positional()
      .optional()
      .names({ de: "zeitraum" }),
  },
  guards: [teamRoomOnly],
  examples: ["rr stats", "rr stats 7d"],
  async handler(ctx, args) {
    const periodMs = args.period ? Math.max(60_000, args.period.as("milliseconds")) : 30 * day;
    const figures = await ctx.services.rapid.stats(scopeOf(ctx), new Date(ctx.now.getTime() - periodMs));
    return ctx.reply(statsView(ctx.tr, figures, periodMs));
  },
});

const delay = (en: string, de: string) => arg.duration({ en, de }, { maxDays: 7 }).optional();

const settings = defineCommand({
  path: ["rr", "settings"],
  category: "rapid",
  description: {
    en: "Escalation times and repeats (coordinators change them)",
    de: "Eskalationszeiten und Wiederholungen (ändert die Koordination)",
  },
  args: {
    urgent: delay(
      "Escalate urgent requests after, e.g. 10m",
      "Dringende Anfragen eskalieren nach, z. B. 10m",
    ),
    normal: delay("Escalate other requests after, e.g. 2h", "Andere Anfragen eskalieren nach, z. B. 2h"),
    repeats: arg
      .integer({ en: "Repeats of the team alert", de: "Wiederholungen des Team-Alarms" }, { min: 0, max: 10 })
      .optional(),
  },
  guards: [teamRoomOnly],
  examples: ["rr settings", "rr settings --urgent 15m --normal 3h --repeats 1"],
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
  description: { en: "Rapid response", de: "Schnellanfragen" },
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
  locales: rapidLocales,
};
