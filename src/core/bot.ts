import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { asJson } from "../db/json.ts";
import { type Defaults, ensureContext, findMember } from "../features/directory.ts";
import type { Member, Team } from "../generated/prisma/client.ts";
import { type Adapter, type BotPort, type DispatchResult, platformOf } from "./adapter.ts";
import type { ParseContext, RawValue } from "./args.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { AnyCommand, CommandContext, Invocation, MemberLocale, Reply } from "./command.ts";
import { UserError } from "./errors.ts";
import type { I18n, Translator } from "./i18n.ts";
import type { Logger } from "./log.ts";
import { type Block, code, type OutgoingMessage, paragraph } from "./message.ts";
import { bindArguments, maxInputLength, normalizeInput, optionName, tokenize } from "./parse.ts";
import { type Registry, usage } from "./registry.ts";
import type { Services } from "./services.ts";
import { isLanguage, type Language } from "./time.ts";
import { zodErrorMap } from "./zod-errors.ts";

export interface BotOptions {
  db: Db;
  registry: Registry;
  i18n: I18n;
  log: Logger;
  defaults: Defaults;
  /** Where "now" comes from (default: the system clock; tests pin it). */
  clock?: Clock;
}

/**
 * The platform-agnostic bot: parses, authorizes and dispatches invocations, and delivers
 * messages through whichever adapter a reference belongs to. It never throws at the user.
 */
export class Bot implements BotPort {
  readonly db: Db;
  readonly registry: Registry;
  readonly i18n: I18n;
  readonly log: Logger;
  readonly defaults: Defaults;
  readonly services: Services;
  readonly clock: Clock;
  private readonly adapters = new Map<string, Adapter>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;

  constructor(options: BotOptions) {
    this.db = options.db;
    this.registry = options.registry;
    this.i18n = options.i18n;
    this.log = options.log;
    this.defaults = options.defaults;
    this.clock = options.clock ?? systemClock;
    // Features add their services with provide() before start.
    this.services = { deliver: (messages) => this.deliver(messages) } as Services;
  }

  provide(extra: Partial<Services>): void {
    Object.assign(this.services, extra);
  }

  addAdapter(adapter: Adapter): void {
    if (this.adapters.has(adapter.name)) throw new Error(`adapter ${adapter.name} added twice`);
    this.adapters.set(adapter.name, adapter);
  }

  adapter(name: string): Adapter | undefined {
    return this.adapters.get(name);
  }

  async start(): Promise<void> {
    for (const adapter of this.adapters.values()) {
      await adapter.start(this);
      this.log.info({ adapter: adapter.name }, "adapter started");
    }
  }

  /** Stops taking input, lets in-flight commands and deliveries finish, then stops the adapters. */
  async stop(): Promise<void> {
    this.accepting = false;
    await this.idle();
    for (const adapter of this.adapters.values()) {
      try {
        await adapter.stop();
      } catch (error) {
        this.log.warn({ err: error, adapter: adapter.name }, "adapter did not stop cleanly");
      }
    }
  }

  /** Resolves when no command or delivery is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  handle(invocation: Invocation): Promise<DispatchResult> {
    if (!this.accepting) return Promise.resolve({ kind: "not-command" });
    return this.track(this.dispatch(invocation));
  }

  /** A translator with the member's (or the team's) language and zone, for messages to them. */
  async localeFor(memberRef: string, team?: Pick<Team, "language" | "timeZone">): Promise<MemberLocale> {
    const member = await findMember(this.db, memberRef);
    const lang = pickLanguage(member?.language, undefined, team?.language ?? this.defaults.language);
    return {
      lang,
      timeZone: member?.timeZone ?? team?.timeZone ?? this.defaults.timeZone,
      tr: this.i18n.translator(lang),
    };
  }

  private async dispatch(invocation: Invocation): Promise<DispatchResult> {
    // Cheap check first: lines that are no command never touch the database.
    let tokens: ReturnType<typeof tokenize> | undefined;
    let tooLong = false;
    let quoteError: UserError | undefined;
    if (invocation.input.kind === "text") {
      const raw = invocation.input.text;
      const prefixed = /^\s*[!/]/.test(raw);
      if (invocation.input.requirePrefix && !prefixed) return { kind: "not-command" };
      if (raw.replace(/^\s*[!/]?\s*/, "") === "") return { kind: "not-command" };
      tooLong = raw.length > maxInputLength;
      if (!tooLong) {
        try {
          tokens = tokenize(normalizeInput(raw).replace(/^[!/]\s*/, ""));
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          quoteError = error;
        }
      }
    }

    let team: Team;
    let member: Member;
    try {
      ({ team, member } = await ensureContext(this.db, invocation, this.defaults, this.clock.now()));
    } catch (error) {
      return this.internalError(error, invocation, this.i18n.translator(this.defaults.language));
    }
    const lang = pickLanguage(member.language, invocation.locale, team.language);
    const timeZone = member.timeZone ?? team.timeZone;
    const tr = this.i18n.translator(lang);
    const ctx = this.context(invocation, team, member, lang, timeZone, tr);

    let command: AnyCommand | undefined;
    try {
      if (tooLong) throw new UserError("core.errors.tooLong", { max: maxInputLength });
      if (quoteError) throw quoteError;
      let raw: Record<string, RawValue>;
      if (invocation.input.kind === "structured") {
        command = this.registry.get(invocation.input.path);
        if (!command)
          throw new UserError("core.errors.unknownCommand", { command: invocation.input.path.join(" ") });
        raw = invocation.input.values;
      } else {
        const found = this.registry.resolve(tokens ?? []);
        if (!found) {
          throw new UserError("core.errors.unknownCommand", {
            command: tokens?.[0]?.value.slice(0, 40) ?? "",
          });
        }
        command = found.command;
        raw = this.withUsage(command, lang, () => bindArguments(found.command, found.rest));
      }
      for (const guard of command.guards ?? []) {
        const refusal = guard.check(ctx);
        if (refusal) throw refusal;
      }
      const args = this.validate(command, raw, {
        tr,
        lang,
        timeZone,
        now: ctx.now,
        parseMember: (t) => this.parseMember(invocation.platform, t),
      });
      const reply = await command.handler(ctx, args);
      return { kind: "ok", messages: this.finish(reply, ctx) };
    } catch (error) {
      if (error instanceof UserError) {
        return { kind: "user-error", messages: [this.userErrorMessage(error, ctx)] };
      }
      return this.internalError(error, invocation, tr, command);
    }
  }

  private withUsage<T>(command: AnyCommand, lang: Language, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof UserError && error.details.length === 0) {
        throw new UserError(error.key, error.params, [usage(command, lang)]);
      }
      throw error;
    }
  }

  private validate(
    command: AnyCommand,
    raw: Record<string, RawValue>,
    pc: ParseContext,
  ): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    const errorMap = zodErrorMap(pc.tr);
    for (const [key, spec] of Object.entries(command.args)) {
      const input = raw[key];
      if (input === undefined && spec.meta.required) {
        problems.push(
          pc.tr.t("core.errors.missingArgument", {
            name: this.argLabel(key, spec.meta.positional, pc.lang, spec.meta.names),
          }),
        );
        continue;
      }
      const result = (spec.schema(pc) as z.ZodType<unknown, RawValue>).safeParse(input, { error: errorMap });
      if (result.success) values[key] = result.data;
      else {
        const label = this.argLabel(key, spec.meta.positional, pc.lang, spec.meta.names);
        const message = result.error.issues[0]?.message ?? "";
        problems.push(`${label}: ${message}`);
      }
    }
    if (problems.length > 0) {
      throw new UserError("core.errors.invalidArguments", { problems: problems.join("; ") }, [
        usage(command, pc.lang),
      ]);
    }
    return values;
  }

  private argLabel(
    key: string,
    positional: boolean,
    lang: Language,
    names?: Partial<Record<Language, string>>,
  ): string {
    return positional ? `<${names?.[lang] ?? optionName(key)}>` : `--${optionName(key)}`;
  }

  private parseMember(platform: string, token: string): string | undefined {
    return this.adapters.get(platform)?.parseMention(token);
  }

  private context(
    invocation: Invocation,
    team: Team,
    member: Member,
    lang: Language,
    timeZone: string,
    tr: Translator,
  ): CommandContext {
    const base = (
      audience: OutgoingMessage["audience"],
      blocks: Block[],
      l: Language,
      zone: string,
    ): OutgoingMessage => ({
      audience,
      lang: l,
      timeZone: zone,
      tone: "info",
      blocks,
      actions: [],
      attachments: [],
    });
    return {
      invocation,
      db: this.db,
      services: this.services,
      log: this.log,
      registry: this.registry,
      team,
      member,
      lang,
      timeZone,
      tr,
      isCoordinator: invocation.isCoordinator,
      now: this.clock.now(),
      translator: (l) => this.i18n.translator(l),
      reply: (blocks, extra) => ({ ...base({ kind: "reply" }, blocks, lang, timeZone), ...extra }),
      ephemeral: (blocks, extra) => ({ ...base({ kind: "ephemeral" }, blocks, lang, timeZone), ...extra }),
      toTeam: (build, extra) => {
        const teamLang = team.language as Language;
        return {
          ...base(
            { kind: "room", room: team.ref },
            build(this.i18n.translator(teamLang)),
            teamLang,
            team.timeZone,
          ),
          ...extra,
        };
      },
      toMember: async (ref, build, extra) => {
        const locale = await this.localeFor(ref, team);
        return {
          ...base({ kind: "member", member: ref }, build(locale), locale.lang, locale.timeZone),
          ...extra,
        };
      },
    };
  }

  /** Splits a handler's reply: answers to the invoker go back to the adapter, the rest is delivered. */
  private finish(reply: Reply, ctx: CommandContext): OutgoingMessage[] {
    const messages = reply === undefined ? [] : Array.isArray(reply) ? reply : [reply];
    const own = messages.filter((m) => m.audience.kind === "reply" || m.audience.kind === "ephemeral");
    const others = messages.filter((m) => !own.includes(m));
    if (others.length > 0) void this.deliver(others);
    if (own.length === 0 && others.length === 0) {
      own.push(ctx.ephemeral([paragraph(ctx.tr.t("core.done"))], { tone: "success" }));
    }
    return own;
  }

  private userErrorMessage(error: UserError, ctx: CommandContext): OutgoingMessage {
    const blocks: Block[] = [{ kind: "paragraph", spans: ctx.tr.tm(error.key, error.params) }];
    for (const detail of error.details) blocks.push(paragraph(ctx.tr.t("core.usage"), " ", code(detail)));
    return ctx.reply(blocks, { tone: "error" });
  }

  private internalError(
    error: unknown,
    invocation: Invocation,
    tr: Translator,
    command?: AnyCommand,
  ): DispatchResult {
    const errorId = randomBytes(4).toString("hex");
    // Arguments may hold personal data: log the command, never its text.
    this.log.error(
      {
        err: error,
        errorId,
        command: command?.path.join(" "),
        room: invocation.room,
        member: invocation.member,
      },
      "command failed",
    );
    const message: OutgoingMessage = {
      audience: { kind: "reply" },
      lang: tr.lang,
      timeZone: this.defaults.timeZone,
      tone: "error",
      blocks: [paragraph(tr.t("core.internalError", { id: errorId }))],
      actions: [],
      attachments: [],
    };
    return { kind: "internal-error", errorId, messages: [message] };
  }

  /**
   * Sends messages to rooms or members through the adapter their reference belongs to.
   * A message with a key edits the earlier one with that key where the platform can.
   * Failures are logged and recorded, never thrown: the caller's work is already done.
   */
  deliver(messages: OutgoingMessage[]): Promise<void> {
    return this.track(
      (async () => {
        for (const message of messages) {
          try {
            await this.deliverOne(message);
          } catch (error) {
            await this.recordFailure(message, error);
          }
        }
      })(),
    );
  }

  async sentKey(conversation: string, messageId: string): Promise<string | undefined> {
    const row = await this.db.sentMessage.findFirst({ where: { conversation, messageId } });
    return row?.key;
  }

  /** Sends one message; throws when the platform refused it (the scheduler retries). */
  async deliverOne(message: OutgoingMessage): Promise<void> {
    const audience = message.audience;
    if (audience.kind === "reply" || audience.kind === "ephemeral") {
      throw new Error(`a ${audience.kind} message cannot be delivered outside a command`);
    }
    const ref = audience.kind === "room" ? audience.room : audience.member;
    const adapter = this.adapters.get(platformOf(ref));
    if (!adapter) throw new Error(`no adapter for ${platformOf(ref) || ref}`);
    const target = audience.kind === "room" ? { room: audience.room } : { member: audience.member };
    if (message.key && audience.kind === "room" && adapter.edit && adapter.capabilities.editMessages) {
      const earlier = await this.db.sentMessage.findUnique({
        where: { key_conversation: { key: message.key, conversation: audience.room } },
      });
      if (earlier) {
        await adapter.edit(audience.room, earlier.messageId, message);
        return;
      }
    }
    const messageId = await adapter.send(target, message);
    if (message.key && audience.kind === "room") {
      await this.db.sentMessage.upsert({
        where: { key_conversation: { key: message.key, conversation: audience.room } },
        create: { key: message.key, conversation: audience.room, messageId },
        update: { messageId },
      });
    }
  }

  async recordFailure(message: OutgoingMessage, error: unknown): Promise<void> {
    const target =
      message.audience.kind === "room"
        ? message.audience.room
        : message.audience.kind === "member"
          ? message.audience.member
          : message.audience.kind;
    this.log.error({ err: error, target }, "delivery failed");
    try {
      await this.db.failedDelivery.create({
        data: {
          target,
          message: asJson(message),
          error: error instanceof Error ? error.message : String(error),
        },
      });
    } catch (dbError) {
      this.log.error({ err: dbError, target }, "could not record failed delivery");
    }
  }
}

/** The member's own choice wins, then the platform's locale, then the team's language. */
export function pickLanguage(
  own: string | null | undefined,
  locale: string | undefined,
  team: string,
): Language {
  if (own && isLanguage(own)) return own;
  const hint = locale?.slice(0, 2).toLowerCase();
  if (hint && isLanguage(hint)) return hint;
  return isLanguage(team) ? team : "de";
}
