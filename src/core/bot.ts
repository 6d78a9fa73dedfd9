import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import type { Team } from "../generated/prisma/client.ts";
import {
  type Adapter,
  type BotPort,
  type DispatchResult,
  type MembershipEnd,
  type MemberStatus,
  type NotedMember,
  platformOf,
} from "./adapter.ts";
import type { RawValue } from "./args.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { AnyCommand, CommandContext, Invocation, MemberLocale, Reply } from "./command.ts";
import { type ContextResolver, commandContext, type Defaults } from "./context.ts";
import { Delivery, type MayReceive } from "./delivery.ts";
import { UserError } from "./errors.ts";
import type { I18n, Translator } from "./i18n.ts";
import type { Logger } from "./log.ts";
import { type Block, code, type MessageSubject, type OutgoingMessage, paragraph } from "./message.ts";
import { bindArguments, maxInputLength, normalizeInput, type Token, tokenize } from "./parse.ts";
import type { Registry } from "./registry.ts";
import { isLanguage, type Language } from "./time.ts";
import { validateArguments } from "./validate.ts";

export interface BotOptions<S> {
  db: Db;
  registry: Registry<S>;
  i18n: I18n;
  log: Logger;
  defaults: Defaults;
  /** The feature services handlers get as `ctx.services`. */
  services: S;
  /** Where the team and member rows of an invocation come from (the directory). */
  contexts: ContextResolver;
  /** Where "now" comes from (default: the system clock; tests pin it). */
  clock?: Clock;
  /** Whether a private message may still go to its member (default: always). */
  mayReceive?: MayReceive;
}

/**
 * The platform-agnostic bot: parses, authorizes and dispatches invocations, and delivers
 * messages through whichever adapter a reference belongs to. It never throws at the user.
 */
export class Bot<S = unknown> implements BotPort {
  readonly db: Db;
  readonly registry: Registry<S>;
  readonly i18n: I18n;
  readonly log: Logger;
  readonly defaults: Defaults;
  readonly services: S;
  readonly clock: Clock;
  private readonly contexts: ContextResolver;
  private readonly delivery: Delivery;
  private readonly adapters = new Map<string, Adapter>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;

  constructor(options: BotOptions<S>) {
    this.db = options.db;
    this.registry = options.registry;
    this.i18n = options.i18n;
    this.log = options.log;
    this.defaults = options.defaults;
    this.services = options.services;
    this.contexts = options.contexts;
    this.clock = options.clock ?? systemClock;
    this.delivery = new Delivery(options.db, options.log, (name) => this.adapters.get(name), options.mayReceive);
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
    const member = await this.contexts.member(memberRef);
    const lang = pickLanguage(member?.language, undefined, team?.language ?? this.defaults.language);
    return {
      lang,
      timeZone: member?.timeZone ?? team?.timeZone ?? this.defaults.timeZone,
      tr: this.i18n.translator(lang),
    };
  }

  /** Reads a typed line up to the command words; undefined when it is no command at all. */
  private read(invocation: Invocation): { tokens?: Token[]; early?: UserError } | undefined {
    if (invocation.input.kind !== "text") return {};
    const raw = invocation.input.text;
    const prefixed = /^\s*[!/]/.test(raw);
    if (invocation.input.requirePrefix && !prefixed) return undefined;
    if (raw.replace(/^\s*[!/]?\s*/, "") === "") return undefined;
    if (raw.length > maxInputLength) return { early: new UserError("core.errors.tooLong", { count: maxInputLength }) };
    try {
      return { tokens: tokenize(normalizeInput(raw).replace(/^[!/]\s*/, "")) };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return { early: error };
    }
  }

  private async dispatch(invocation: Invocation): Promise<DispatchResult> {
    // Cheap checks first: lines that are no command and votes on no poll never touch the database.
    const line = this.read(invocation);
    if (!line) return { kind: "not-command" };
    const input = invocation.input;
    const vote = input.kind === "poll-vote" ? this.registry.pollVoteCall(input.poll, input.change) : undefined;
    if (input.kind === "poll-vote" && !vote) return { kind: "not-command" };

    let rows: Awaited<ReturnType<ContextResolver["resolve"]>>;
    try {
      rows = await this.contexts.resolve(invocation, this.clock.now());
    } catch (error) {
      return this.internalError(error, invocation, this.i18n.translator(this.defaults.language));
    }
    const lang = pickLanguage(rows.member.language, invocation.locale, rows.team.language);
    const timeZone = rows.member.timeZone ?? rows.team.timeZone;
    const ctx = this.context(invocation, rows, lang, timeZone);

    let command: AnyCommand<S> | undefined;
    try {
      if (line.early) throw line.early;
      const pc = {
        tr: ctx.tr,
        lang,
        timeZone,
        now: ctx.now,
        parseMember: (t: string) => this.adapters.get(invocation.platform)?.parseMention(t),
      };
      const call = vote ?? (input.kind === "structured" ? input : undefined);
      const found = call ? undefined : this.registry.resolve(line.tokens ?? []);
      command = call ? this.registry.get(call.path) : found?.command;
      if (!command) {
        const typed = call ? call.path.join(" ") : (line.tokens?.[0]?.value.slice(0, 40) ?? "");
        throw new UserError("core.errors.unknownCommand", { command: typed });
      }
      // Where a command may be used is checked before its words are read.
      for (const guard of command.guards ?? []) {
        const refusal = guard.check(ctx);
        if (refusal) throw refusal;
      }
      const bound = command;
      const raw: Record<string, RawValue> = found
        ? this.withUsage(bound, lang, () => bindArguments(bound, found.rest, pc))
        : (call?.values ?? {});
      const args = validateArguments(this.registry, command, raw, pc);
      const reply = await command.handler(ctx, args);
      return { kind: "ok", messages: this.finish(reply, ctx) };
    } catch (error) {
      if (error instanceof UserError) {
        return { kind: "user-error", messages: [this.userErrorMessage(error, ctx)] };
      }
      return this.internalError(error, invocation, ctx.tr, command);
    }
  }

  /** Syntax errors of the core's own parser show how the command is typed. */
  private withUsage<T>(command: AnyCommand<S>, lang: Language, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof UserError && error.details.length === 0 && error.key.startsWith("core.errors.")) {
        throw new UserError(error.key, error.params, [this.registry.usage(command, this.i18n.translator(lang))]);
      }
      throw error;
    }
  }

  private context(
    invocation: Invocation,
    rows: Parameters<typeof commandContext>[2],
    lang: Language,
    timeZone: string,
  ): CommandContext<S> {
    return commandContext(
      {
        services: this.services,
        log: this.log,
        registry: this.registry,
        now: this.clock.now(),
        capabilities: this.adapters.get(invocation.platform)?.capabilities,
        translator: (l) => this.i18n.translator(l),
        localeFor: (ref, team) => this.localeFor(ref, team),
      },
      invocation,
      rows,
      lang,
      timeZone,
    );
  }

  /** Splits a handler's reply: answers to the invoker go back to the adapter, the rest is delivered. */
  private finish(reply: Reply, ctx: CommandContext<S>): OutgoingMessage[] {
    const messages = reply === undefined ? [] : Array.isArray(reply) ? reply : [reply];
    const own = messages.filter((m) => m.audience.kind === "reply" || m.audience.kind === "ephemeral");
    const others = messages.filter((m) => !own.includes(m));
    if (others.length > 0) void this.deliver(others);
    if (own.length === 0 && others.length === 0) {
      own.push(ctx.ephemeral([paragraph(ctx.tr.t("core.done"))], { tone: "success" }));
    }
    return own;
  }

  private userErrorMessage(error: UserError, ctx: CommandContext<S>): OutgoingMessage {
    const blocks: Block[] = [{ kind: "paragraph", spans: ctx.tr.tm(error.key, error.params) }];
    for (const detail of error.details) blocks.push({ kind: "paragraph", spans: ctx.tr.tm("core.usage", { usage: code(detail) }) });
    return ctx.reply(blocks, { tone: "error" });
  }

  private internalError(
    error: unknown,
    invocation: Invocation,
    tr: Translator,
    command?: AnyCommand<S>,
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
    return this.track(this.delivery.deliver(messages));
  }

  /** Members the platform reports in a conversation become its team's members (the directory links them). */
  async noteMembers(room: string, roomName: string | undefined, members: readonly NotedMember[]): Promise<void> {
    const now = this.clock.now();
    await this.contexts.addMembers?.(
      members.map((m) => ({ room, ...(roomName ? { roomName } : {}), ...m })),
      now,
    );
  }

  /** A platform reported that a member is no longer in a room: the membership ends (a dated fact). */
  async memberLeft(room: string, member: string, how: MembershipEnd): Promise<void> {
    await this.contexts.memberLeft?.(room, member, how);
  }

  /** The platform's word on a member of a room now; undefined when it cannot tell. */
  async memberStatus(room: string, member: string): Promise<MemberStatus | undefined> {
    const adapter = this.adapters.get(platformOf(room));
    if (!adapter?.memberStatus || platformOf(member) !== adapter.name) return undefined;
    return adapter.memberStatus(room, member);
  }

  /** Sends one message; throws when the platform refused it (the scheduler retries). */
  deliverOne(message: OutgoingMessage): Promise<void> {
    return this.delivery.deliverOne(message);
  }

  recordFailure(message: OutgoingMessage, error: unknown): Promise<void> {
    return this.delivery.recordFailure(message, error);
  }

  sentKey(conversation: string, messageId: string): Promise<MessageSubject | undefined> {
    return this.delivery.sentSubject(conversation, messageId);
  }
}

/** The member's own choice wins, then the platform's locale, then the team's language. */
export function pickLanguage(
  own: string | null | undefined,
  locale: string | undefined,
  team: string,
): Language {
  if (own && isLanguage(own)) return own;
  const hint = locale?.split("-")[0]?.toLowerCase();
  if (hint && isLanguage(hint)) return hint;
  return isLanguage(team) ? team : "de";
}
