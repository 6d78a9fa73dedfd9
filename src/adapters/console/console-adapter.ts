import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import {
  type Adapter,
  type BotPort,
  type DeliveryTarget,
  type DispatchResult,
  type MembershipEnd,
  type MemberStatus,
  portableNativePolls,
} from "../../core/adapter.ts";
import { defaultI18n } from "../../core/catalog.ts";
import type { InvocationInput } from "../../core/command.ts";
import type { Translator } from "../../core/i18n.ts";
import { actionInput } from "../../core/interaction.ts";
import type { Action, OutgoingMessage } from "../../core/message.ts";
import { renderText } from "../../core/render-text.ts";
import type { Language } from "../../core/time.ts";

export interface ConsoleOptions {
  member: string;
  room: string;
  /** Acting as a coordinator from the start (`:coord on|off` switches). */
  coordinator?: boolean;
  /** Where attachments (.ics files) are written. */
  attachmentDir: string;
  /** Streams for the interactive or piped mode; without them the adapter is driven by `say` (tests). */
  io?: { input: Readable; output: Writable; interactive: boolean };
  /** The language of console instructions until the bot answers in another one (default English). */
  lang?: Language;
  /** Printed once at start. */
  greeting?: string;
  /** Called when piped input ends, after every command has been answered. */
  onEnd?: () => void;
}

const namePattern = /^[\p{L}\p{N}_.-]{1,32}$/u;

/**
 * The embedded default: one person acts as any member in any room of a local "chat".
 * Rooms are "console:<room>", members "console:@<name>".
 */
export class ConsoleAdapter implements Adapter {
  readonly name = "console";
  readonly capabilities = {
    buttons: false,
    // The console shows a native poll's answers as a list, within what every platform can show.
    nativePolls: portableNativePolls,
    editMessages: false,
    maxMessageLength: 100_000,
  };
  member: string;
  room: string;
  coordinator: boolean;
  /**
   * Every line printed while driven by `say` (the test harness reads it). With streams the
   * lines go to the output only: a long-running console keeps none of them.
   */
  readonly transcript: string[] = [];
  private bot: BotPort | undefined;
  private readline: Interface | undefined;
  private lastActions: Action[] = [];
  private nextId = 1;
  /** "room|member" -> how they left, until they speak in that room again. */
  private readonly gone = new Map<string, MembershipEnd>();
  /** The console speaks the language of the bot's latest answer here. */
  private lang: Language;

  private readonly options: ConsoleOptions;

  constructor(options: ConsoleOptions) {
    this.options = options;
    this.member = options.member;
    this.room = options.room;
    this.coordinator = options.coordinator ?? false;
    this.lang = options.lang ?? "en";
  }

  private translator(): Translator {
    return (this.bot?.i18n ?? defaultI18n()).translator(this.lang);
  }

  private t(key: string, params?: Record<string, string | number>): string {
    return this.translator().t(`console.${key}`, params);
  }

  get memberRef(): string {
    return `console:@${this.member}`;
  }
  get roomRef(): string {
    return `console:${this.room}`;
  }

  async start(bot: BotPort): Promise<void> {
    this.bot = bot;
    if (this.options.greeting) this.print(this.options.greeting);
    const io = this.options.io;
    if (!io) return;
    const rl = createInterface({
      input: io.input,
      output: io.interactive ? io.output : undefined,
      terminal: io.interactive,
      historySize: 500,
    });
    this.readline = rl;
    rl.on("SIGINT", () => rl.close());
    if (io.interactive) {
      rl.setPrompt(this.prompt());
      rl.prompt();
    }
    // Lines are handled one after another, so a piped script runs in order.
    void (async () => {
      for await (const line of rl) {
        await this.say(line);
        if (io.interactive) {
          rl.setPrompt(this.prompt());
          rl.prompt();
        }
      }
      this.options.onEnd?.();
    })();
  }

  async stop(): Promise<void> {
    this.readline?.close();
  }

  private prompt(): string {
    return `${this.member}@${this.room}${this.coordinator ? "*" : ""}> `;
  }

  /** Handles one typed line: a console instruction (":as ann"), a choice number, or a command. */
  async say(line: string): Promise<DispatchResult | undefined> {
    const trimmed = line.trim();
    if (trimmed === "") return undefined;
    if (/^:(leave|kick|ban)\b/i.test(trimmed)) {
      await this.leave(trimmed);
      return undefined;
    }
    if (trimmed.startsWith(":")) {
      this.meta(trimmed);
      return undefined;
    }
    // Whoever speaks in a room is in it (again).
    this.gone.delete(`${this.roomRef}|${this.memberRef}`);
    if (!this.bot) throw new Error("console adapter not started");
    let input: InvocationInput = { kind: "text", text: trimmed, requirePrefix: false };
    const choice = /^#?(\d{1,2})$/.exec(trimmed);
    if (choice && this.lastActions.length > 0) {
      const picked = this.lastActions[Number(choice[1]) - 1];
      if (!picked) {
        this.print(this.t("noChoice", { choice: choice[1] ?? "", max: this.lastActions.length }));
        return undefined;
      }
      input = actionInput(this.bot.registry, picked.command);
      this.print(`→ ${picked.command}`);
    }
    const result = await this.bot.handle({
      platform: "console",
      room: this.roomRef,
      roomName: this.room,
      isDirect: this.room.startsWith("dm-"),
      member: this.memberRef,
      memberName: this.member,
      isCoordinator: this.coordinator,
      input,
    });
    if (result.kind !== "not-command") {
      for (const message of result.messages) {
        this.lang = message.lang;
        this.show(message, message.audience.kind === "ephemeral" ? `${this.t("onlyYou")} ` : "");
      }
    }
    return result;
  }

  /**
   * ":leave" (the current member leaves the room), ":kick <name>" and ":ban <name>": the
   * console's stand-in for a platform reporting that someone is no longer in a room.
   */
  private async leave(line: string): Promise<void> {
    const [command = "", name = ""] = line.slice(1).split(/\s+/, 2);
    const how = command.toLowerCase() === "leave" ? "left" : command.toLowerCase() === "kick" ? "kicked" : "banned";
    const who = how === "left" ? this.member : name.replace(/^@/, "");
    if (!namePattern.test(who)) {
      this.print(this.t("usageLeave"));
      return;
    }
    const member = `console:@${who}`;
    this.gone.set(`${this.roomRef}|${member}`, how);
    await this.bot?.memberLeft?.(this.roomRef, member, how);
    this.print(this.t("memberLeft", { member: who, room: this.room }));
  }

  /** The console knows who left which room (see `leave`); everyone else is taken as present. */
  async memberStatus(room: string, member: string): Promise<MemberStatus | undefined> {
    const how = this.gone.get(`${room}|${member}`);
    return how ? { present: false, how } : undefined;
  }

  private meta(line: string): void {
    this.print(this.runMeta(line));
  }

  /** Console instructions: switch member, room or coordinator role. Returns what to print. */
  private runMeta(line: string): string {
    const [command = "", value = ""] = line.slice(1).split(/\s+/, 2);
    switch (command.toLowerCase()) {
      case "as":
        if (!namePattern.test(value.replace(/^@/, ""))) return this.t("usageAs");
        this.member = value.replace(/^@/, "");
        return this.t("nowMember", { member: this.member });
      case "room":
        if (!namePattern.test(value)) return this.t("usageRoom");
        this.room = value;
        return this.t("nowRoom", { room: this.room });
      case "dm":
        this.room = `dm-${this.member}`;
        return this.t("nowDirect", { room: this.room });
      case "coord":
      case "coordinator":
        this.coordinator = value !== "off";
        return this.t(this.coordinator ? "coordinatorOn" : "coordinatorOff");
      case "who":
        return this.t(this.coordinator ? "whoCoordinator" : "who", { member: this.member, room: this.room });
      case "quit":
      case "exit":
        this.readline?.close();
        return this.t("bye");
      default:
        return this.translator().lines("console.instructions").join("\n");
    }
  }

  async send(target: DeliveryTarget, message: OutgoingMessage): Promise<string> {
    // Where a message went, like a chat client's room list: the same tag in every language (scripts grep for it).
    const prefix =
      "room" in target
        ? `[#${target.room.replace(/^console:/, "")}] `
        : `[private → ${target.member.replace(/^console:@?/, "")}] `;
    this.show(message, prefix);
    return String(this.nextId++);
  }

  parseMention(token: string): string | undefined {
    const name = token.replace(/^console:/, "").replace(/^@/, "");
    return namePattern.test(name) ? `console:@${name}` : undefined;
  }

  private show(message: OutgoingMessage, prefix: string): void {
    const mark =
      message.tone === "error"
        ? "✖ "
        : message.tone === "warning"
          ? "⚠ "
          : message.tone === "success"
            ? "✔ "
            : "";
    const lines = [prefix + mark + renderText(message, this.bot?.clock.now() ?? new Date())];
    if (message.poll) {
      lines.push(...message.poll.answers.map((a, i) => `  ${i + 1}) ${a.text}`));
    }
    for (const attachment of message.attachments) {
      mkdirSync(this.options.attachmentDir, { recursive: true, mode: 0o700 });
      const file = path.join(this.options.attachmentDir, path.basename(attachment.filename));
      writeFileSync(file, attachment.content, { mode: 0o600 });
      lines.push(`  📎 ${file}`);
    }
    if (message.actions.length > 0) {
      this.lastActions = message.actions;
      lines.push(`  ${message.actions.map((a, i) => `[${i + 1}] ${a.label}`).join("   ")}`);
    }
    this.print(lines.join("\n"));
  }

  private print(text: string): void {
    const io = this.options.io;
    if (!io) {
      this.transcript.push(text);
      return;
    }
    if (io.interactive && this.readline) {
      // Keep the prompt below output that arrives while typing (reminders).
      io.output.write(`\r\x1b[K${text}\n`);
      this.readline.prompt(true);
    } else {
      io.output.write(`${text}\n`);
    }
  }
}
