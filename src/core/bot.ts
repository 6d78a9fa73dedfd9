import { randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "../db/client.ts";
import { retryingTransaction } from "../db/transaction.ts";
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
import { AdapterSet } from "./adapter-set.ts";
import type { RawValue } from "./args.ts";
import { type Clock, systemClock } from "./clock.ts";
import { choiceActions, type GivenArguments } from "./choices.ts";
import type { AnyCommand, CommandContext, Invocation, MemberLocale } from "./command.ts";
import { type ContextResolver, commandContext, type Defaults, type LookedUp } from "./context.ts";
import { Delivery, type MayReceive } from "./delivery.ts";
import { ChoiceError, UserError } from "./errors.ts";
import type { I18n, Translator } from "./i18n.ts";
import type { Logger } from "./log.ts";
import { type Block, code, type MessageSubject, type OutgoingMessage, paragraph } from "./message.ts";
import { heldAnswers, type OutboxPort, splitReply } from "./outbox.ts";
import { bindArguments, maxInputLength, normalizeInput, type Token, tokenize } from "./parse.ts";
import type { Registry } from "./registry.ts";
import { isLanguage, type Language } from "./time.ts";
import { validateArguments } from "./validate.ts";
import { dayPartsOf } from "./when-args.ts";

export interface BotOptions<S> {
  db: Db;
  registry: Registry<S>;
  i18n: I18n;
  log: Logger;
  defaults: Defaults;
  /** The feature services handlers get as `ctx.services`, on the database or the command's transaction. */
  services: (handle: DbOrTx) => S;
  /** Where the team and member rows of an invocation come from (the directory). */
  contexts: ContextResolver;
  /** Where "now" comes from (default: the system clock; tests pin it). */
  clock?: Clock;
  /** Whether a private message may still go to its member (default: always). */
  mayReceive?: MayReceive;
  /** Where every message to a room or member goes: written with the change, delivered by the scheduler. */
  outbox: OutboxPort;
  /** How long an answer waits for the command's own messages to go out before it says they could not yet. */
  flushWaitMs?: number;
}

/** The platform event of an invocation was handled before (its claim says so). */
class AlreadyHandled extends Error {}


/**
 * The platform-agnostic bot: parses, authorizes and dispatches invocations, and sends
 * messages through whichever adapter a reference belongs to. It never throws at the user.
 * A command that changes something runs in one transaction (a unit of work): its changes
 * and the outbox entries of the messages it sends to rooms or members commit together.
 */
export class Bot<S = unknown> implements BotPort {
  readonly db: Db;
  readonly registry: Registry<S>;
  readonly i18n: I18n;
  readonly log: Logger;
  readonly defaults: Defaults;
  /** The services on the database itself (outside any command's transaction). */
  readonly services: S;
  readonly clock: Clock;
  private readonly servicesOn: (handle: DbOrTx) => S;
  private readonly contexts: ContextResolver;
  private readonly delivery: Delivery;
  private readonly outbox: OutboxPort;
  private readonly flushWaitMs: number;
  private readonly adapters: AdapterSet;
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;

  constructor(options: BotOptions<S>) {
    this.db = options.db;
    this.registry = options.registry;
    this.i18n = options.i18n;
    this.log = options.log;
    this.defaults = options.defaults;
    this.servicesOn = options.services;
    this.services = options.services(options.db);
    this.contexts = options.contexts;
    this.clock = options.clock ?? systemClock;
    this.outbox = options.outbox;
    this.flushWaitMs = options.flushWaitMs ?? 2_000;
    this.adapters = new AdapterSet(options.log);
    this.delivery = new Delivery(options.db, (name) => this.adapters.get(name), options.mayReceive);
  }

  addAdapter(adapter: Adapter): void {
    this.adapters.add(adapter);
  }

  adapter(name: string): Adapter | undefined {
    return this.adapters.get(name);
  }

  /** Starts every adapter; one whose platform cannot be reached is tried again later (see AdapterSet). */
  start(): Promise<void> {
    return this.adapters.start(this);
  }

  /**
   * Whether messages to a platform can go out now: its adapter started and (where it can
   * tell) is connected. The outbox holds messages for a platform that is down instead of
   * spending their tries.
   */
  platformUp(name: string): boolean {
    return this.adapters.up(name);
  }

  /** Another process (on the same database) holds the platform's connection and sends its messages. */
  platformElsewhere(name: string): boolean {
    return this.adapters.elsewhere(name);
  }

  /** Asks the process holding a platform's connection to look for messages to send. */
  nudgePlatform(name: string): void {
    this.adapters.nudge(name);
  }

  /**
   * Stops taking input and lets in-flight commands and their deliveries finish. Adapters
   * first hand over what they already received (while the bot still runs it).
   */
  async quiesce(): Promise<void> {
    await this.adapters.stopInput();
    this.accepting = false;
    await this.idle();
  }

  /** Stops taking input, lets in-flight commands and deliveries finish, then stops the adapters. */
  async stop(): Promise<void> {
    await this.quiesce();
    await this.adapters.stop();
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

  /**
   * A translator with the member's (or the team's) language and zone, for messages to them.
   * Inside a transaction pass it as `handle` (the one connection is the transaction's).
   */
  async localeFor(
    memberRef: string,
    team?: Pick<Team, "language" | "timeZone">,
    handle?: DbOrTx,
  ): Promise<MemberLocale> {
    return this.localeOf((await this.contexts.member(memberRef, handle)) ?? undefined, team);
  }

  /** The same for a member row read already. */
  localeOf(
    member: { language: string | null; timeZone: string | null } | undefined,
    team?: Pick<Team, "language" | "timeZone">,
  ): MemberLocale {
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

    let rows: LookedUp;
    try {
      // A first contact's team, member and membership are written in the command's own unit (`ensure`).
      rows = this.contexts.lookup
        ? await this.contexts.lookup(invocation, this.clock.now())
        : await this.contexts.resolve(invocation, this.clock.now());
    } catch (error) {
      return this.internalError(error, invocation, this.i18n.translator(this.defaults.language));
    }
    const lang = pickLanguage(rows.member.language, invocation.locale, rows.team.language);
    const timeZone = rows.member.timeZone ?? rows.team.timeZone;
    const now = this.clock.now();
    const ctx = this.context(invocation, rows, lang, timeZone, now, this.db);

    let command: AnyCommand<S> | undefined;
    let given: GivenArguments | undefined;
    /** The event was claimed outside a transaction (a read-only command): a failure does not undo it. */
    const claimed = { forGood: false, seen: false };
    try {
      if (line.early) throw line.early;
      const pc = {
        tr: ctx.tr,
        lang,
        timeZone,
        now: ctx.now,
        dayParts: dayPartsOf(rows.team),
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
      given = found ? { tokens: found.rest } : { values: call?.values ?? {} };
      const raw: Record<string, RawValue> = found
        ? this.withUsage(bound, lang, () => bindArguments(bound, found.rest, pc))
        : (call?.values ?? {});
      const args = validateArguments(this.registry, command, raw, pc);
      // The unit of work: the handler's changes and its messages' outbox entries commit together.
      const unit = async (handle: DbOrTx) => {
        // A platform event handled before (a restart delivered it again) does not run twice.
        if (invocation.claim && !(await invocation.claim(handle))) throw new AlreadyHandled();
        claimed.forGood = handle === this.db;
        const real = rows.ensure ? await rows.ensure(handle) : rows;
        claimed.seen = handle === this.db;
        const inUnit = handle === this.db && !rows.ensure ? ctx : this.context(invocation, real, lang, timeZone, now, handle);
        const reply = await bound.handler(inUnit, args);
        const { own, others } = splitReply(reply === undefined ? [] : Array.isArray(reply) ? reply : [reply]);
        const origin = { owner: real.member.ref, team: real.team.ref, dueAt: now };
        return { own, ids: others.length > 0 ? await this.outbox.add(handle, others, origin) : [] };
      };
      const done = command.readOnly ? await unit(this.db) : await retryingTransaction(this.db, unit);
      return { kind: "ok", messages: await this.finish(done.own, done.ids, ctx) };
    } catch (error) {
      if (error instanceof AlreadyHandled) return { kind: "not-command" };
      // A failed first command still makes the member known in the team (one write of its own).
      if (rows.ensure && !claimed.seen) await rows.ensure(this.db).catch(() => undefined);
      if (!claimed.forGood && !(await this.claimAfterFailure(invocation))) return { kind: "not-command" };
      if (error instanceof UserError) {
        const message = this.userErrorMessage(error, ctx);
        if (error instanceof ChoiceError && command && given) return this.question(error, message, command, given);
        return { kind: "user-error", messages: [message] };
      }
      return this.internalError(error, invocation, ctx.tr, command);
    }
  }

  /**
   * A phrase with several meanings is a question, not an error: each meaning is a button
   * that runs the command with it, in the conversation the command came from (privately for
   * commands that only answer the invoker, so nothing of theirs shows in the room).
   */
  private question(error: ChoiceError, message: OutgoingMessage, command: AnyCommand<S>, given: GivenArguments): DispatchResult {
    const audience: OutgoingMessage["audience"] = command.noRoomPosts ? { kind: "ephemeral" } : { kind: "reply" };
    return { kind: "ok", messages: [{ ...message, audience, tone: "info", actions: choiceActions(error, command, given) }] };
  }

  /**
   * A command that failed changed nothing, its claim included: the event is claimed now, so
   * a second delivery of it is not answered twice. False when it was handled before.
   */
  private async claimAfterFailure(invocation: Invocation): Promise<boolean> {
    if (!invocation.claim) return true;
    try {
      return await invocation.claim(this.db);
    } catch (error) {
      this.log.warn({ err: error, room: invocation.room }, "could not claim a failed command's event");
      return true;
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
    now: Date,
    handle: DbOrTx,
  ): CommandContext<S> {
    return commandContext(
      {
        services: handle === this.db ? this.services : this.servicesOn(handle),
        log: this.log,
        registry: this.registry,
        now,
        capabilities: this.adapters.get(invocation.platform)?.capabilities,
        translator: (l) => this.i18n.translator(l),
        localeFor: (ref, team) => this.localeFor(ref, team, handle),
      },
      invocation,
      rows,
      lang,
      timeZone,
    );
  }

  /**
   * After the commit: the command's own outbox entries are tried at once, so the answer can
   * say the truth. Entries a platform refused (or one that is down) wait in the outbox, and
   * the answer says so instead of claiming they went out.
   */
  private async finish(answers: OutgoingMessage[], ids: number[], ctx: CommandContext<S>): Promise<OutgoingMessage[]> {
    let own = answers;
    if (ids.length > 0) {
      const report = await this.outbox.flush(ids, this.flushWaitMs);
      void this.track(report.settled);
      if (report.held.length > 0) own = heldAnswers(own, ctx, report.held);
    }
    own = own.map(({ whenHeld: _unused, ...answer }) => answer);
    if (own.length === 0 && ids.length === 0) {
      own = [ctx.ephemeral([paragraph(ctx.tr.t("core.done"))], { tone: "success" })];
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
   * Sends messages to rooms or members through the outbox (outside any command: they are
   * written on their own) and waits until each was sent or is held up.
   */
  async deliver(messages: OutgoingMessage[]): Promise<void> {
    const work = (async () => {
      const ids = await this.outbox.add(this.db, messages, { dueAt: this.clock.now() });
      await (await this.outbox.flush(ids, 0)).settled;
    })();
    await this.track(work);
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

  /**
   * Sends one message through the adapter its reference belongs to; a keyed message edits
   * the earlier one where the platform can. Throws when the platform refused it: only the
   * outbox calls this, and retries.
   */
  sendNow(message: OutgoingMessage, key?: string): Promise<void> {
    return this.delivery.send(message, key);
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
