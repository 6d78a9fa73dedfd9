import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { FakeGateway, intent } from "./fake-gateway.ts";
import { channelType, FakeGuild, permission } from "./fake-guild.ts";
import { type Answer, fail, parseBody, send, sleep } from "./fake-http.ts";
import { Interactions, type InteractionMessage } from "./fake-interactions.ts";
import type { Pings } from "./fake-messages.ts";
import { RateLimits } from "./fake-rate-limits.ts";
import { type ChannelMessage, route } from "./fake-routes.ts";

/**
 * A fake Discord on 127.0.0.1 that is as strict as Discord's documentation: the REST routes
 * the adapter and discord.js use (commands, messages, interactions, DMs, polls) with their
 * validation rules, channel permissions, rate limits and interaction deadlines, and a JSON
 * gateway with intents. It records every request, every refusal and every ping.
 */
export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, decoded ("/webhooks/1/tok/messages/@original"). */
  path: string;
  query: string;
  body: unknown;
  files: string[];
  /** When it arrived (fake time, ms) and what it was answered. */
  at: number;
  status: number;
  code?: number;
  error?: string;
}

export interface FakeUser {
  id: string;
  username: string;
  globalName?: string;
}

export interface InteractOptions {
  user: FakeUser;
  locale?: string;
  /** The member's permissions (decimal string); default: none of note. */
  permissions?: string;
  direct?: boolean;
  message?: unknown;
  channel?: string;
}

export class FakeDiscord {
  readonly applicationId = "100000000000000001";
  readonly guildId = "200000000000000002";
  readonly categoryId = "300000000000000001";
  readonly channelId = "300000000000000003";
  /** A thread in the team channel that the gateway announces (discord.js caches it). */
  readonly threadId = "300000000000000033";
  /** An archived thread and a private thread the bot was not added to: never in discord.js's cache. */
  readonly archivedThreadId = "300000000000000034";
  readonly privateThreadId = "300000000000000035";
  /** The only bot token this Discord accepts. */
  readonly token = "test-token";
  readonly guild = new FakeGuild(this.guildId);
  readonly interactions = new Interactions(() => this.id());
  readonly rateLimits = new RateLimits();
  readonly requests: RecordedRequest[] = [];
  /** DM channels by user (a user's DM channel with the bot never changes). */
  readonly dmChannels = new Map<string, string>();
  /** Users who have interacted, as GET member answers with them. */
  readonly users = new Map<string, FakeUser>();
  /** Users who do not accept direct messages from server members (sends answer 50007). */
  readonly closedDms = new Set<string>();
  /** Messages posted into channels, by id, as the channel shows them now. */
  readonly channelMessages = new Map<string, ChannelMessage>();
  /** Nonces of the bot's messages created with enforce_nonce, and when (Discord keeps them a few minutes). */
  readonly nonces = new Map<string, { messageId: string; channelId: string; body: unknown; at: number }>();
  /** Who was notified, per message sent (channel id, pings). */
  readonly pings: { channelId: string; pings: Pings }[] = [];
  /** The application's flags: the privileged intents switched on in the Developer Portal (none, as the README asks). */
  applicationFlags = 0;
  /** The bot's permissions in the guild, as GET /users/@me/guilds reports them (the invite link's). */
  botPermissions = "563224831446016";
  /** Channels the bot cannot see (403 Missing Access). */
  readonly refusing = this.guild.hidden;
  /** Answers to give for a path before the real one: 429 (rate limited) or a 5xx status. */
  readonly failures = new Map<string, number[]>();
  /** Added to every REST answer (ms), as a real network would. */
  latencyMs = 0;
  /** Moves the fake's clock (token lifetimes) ahead of real time. */
  timeShiftMs = 0;
  guildCommands: unknown[] = [];
  globalCommands: unknown[] = [];
  commandCreates = 0;
  dmOpens = 0;
  readonly gateway: FakeGateway = new FakeGateway(this);
  private readonly events = new EventEmitter();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private port = 0;
  private nextId = 500000000000000000n;

  constructor() {
    this.guild.add({ id: this.categoryId, type: channelType.category, name: "Teams", parentId: null, announced: true });
    this.addChannel(this.channelId, "team");
    const thread = { type: channelType.publicThread, parentId: this.channelId };
    this.guild.add({ ...thread, id: this.threadId, name: "Welcome week", announced: true });
    this.guild.add({ ...thread, id: this.archivedThreadId, name: "Summer camp", archived: true, announced: false });
    this.guild.add({
      id: this.privateThreadId,
      type: channelType.privateThread,
      parentId: this.channelId,
      name: "Case talk",
      botIsMember: false,
      announced: false,
    });
  }

  /** The privileged intents the application may use: Server Members, Presence, Message Content (or their limited flags). */
  get enabledPrivilegedIntents(): number {
    const on = (flags: number): boolean => (this.applicationFlags & flags) !== 0;
    return (
      (on((1 << 14) | (1 << 15)) ? intent.guildMembers : 0) |
      (on((1 << 12) | (1 << 13)) ? intent.guildPresences : 0) |
      (on((1 << 18) | (1 << 19)) ? intent.messageContent : 0)
    );
  }

  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The fake's "now" (ms): real time plus `timeShiftMs`. */
  now(): number {
    return Date.now() + this.timeShiftMs;
  }

  id(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  /** A text channel in the category; `botPermissions` overrides what the bot may do there. */
  addChannel(id: string, name: string, botPermissions?: bigint): void {
    this.guild.add({ id, type: channelType.text, name, parentId: this.categoryId, announced: true });
    if (botPermissions !== undefined) this.guild.botPermissions.set(id, botPermissions);
  }

  /** A moderator takes View Channel away from a user in a channel (CHANNEL_UPDATE follows). */
  denyView(channelId: string, userId: string): void {
    const denied = this.guild.deniedView.get(channelId) ?? new Set<string>();
    denied.add(userId);
    this.guild.deniedView.set(channelId, denied);
    const channel = this.guild.channels.get(channelId);
    if (channel) this.dispatch("CHANNEL_UPDATE", this.guild.full(channel, new Date(this.now()).toISOString()));
  }

  /** The user's DM channel with the bot (created on first use). */
  dmChannelOf(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = this.id();
      this.dmChannels.set(userId, id);
    }
    return id;
  }

  dmOwner(channelId: string): string | undefined {
    for (const [user, channel] of this.dmChannels) if (channel === channelId) return user;
    return undefined;
  }

  /** Requests Discord refused (4xx), with the reason: tests expect none but the ones they provoke. */
  refusals(): RecordedRequest[] {
    return this.requests.filter((r) => r.status >= 400 && r.status < 500);
  }

  /** The messages an interaction produced, as Discord shows them. */
  answersTo(token: string): InteractionMessage[] {
    return this.interactions.byToken.get(token)?.messages.filter((m) => !m.deleted) ?? [];
  }

  /** What a channel shows now: the bot's messages in order, deleted ones left out. */
  shown(channelId: string): ChannelMessage[] {
    return [...this.channelMessages.values()].filter((m) => m.channelId === channelId && !m.deleted);
  }

  notePings(channelId: string, pings: Pings): void {
    this.pings.push({ channelId, pings });
  }

  /** Listens on `port` (default: a free one; again the same one after `close`, as a Discord that comes back). */
  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    this.server = server;
    this.wss = new WebSocketServer({ server });
    this.wss.on("connection", (socket) => this.gateway.connect(socket));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.gateway.drop();
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()));
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs = 8000): Promise<RecordedRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("request", listener);
        reject(new Error("fake Discord: the expected request did not arrive"));
      }, timeoutMs);
      const listener = (r: RecordedRequest): void => {
        if (!match(r)) return;
        clearTimeout(timer);
        this.events.off("request", listener);
        resolve(r);
      };
      this.events.on("request", listener);
    });
  }

  get identifies(): number {
    return this.gateway.identifies;
  }

  get resumes(): number {
    return this.gateway.resumes;
  }

  get connections(): number {
    return this.gateway.connections;
  }

  /** Resolves when `count` gateway sessions have been set up (IDENTIFY or RESUME). */
  async waitForSessions(count: number, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.identifies + this.resumes < count) {
      if (Date.now() > deadline) throw new Error("fake Discord: no new gateway session");
      await sleep(20);
    }
  }

  /** Cuts every gateway connection abruptly, as a network failure would. */
  dropConnections(): void {
    this.gateway.drop();
  }

  /** Sends an event to every session whose intents include it. */
  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }

  /** READY and GUILD_CREATE for a new gateway session. */
  ready(identifies: number): void {
    const iso = new Date(this.now()).toISOString();
    this.dispatch("READY", {
      v: 10,
      user: this.user({ id: this.applicationId, username: "Teambot" }, true),
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: `session-${identifies}`,
      resume_gateway_url: this.gatewayUrl,
      application: { id: this.applicationId, flags: 0 },
      shard: [0, 1],
    });
    this.dispatch("GUILD_CREATE", this.guild.create(iso));
  }

  user(u: FakeUser, bot = false): Record<string, unknown> {
    return { id: u.id, username: u.username, global_name: u.globalName ?? null, discriminator: "0", avatar: null, bot, flags: 0 };
  }

  // ---- interactions the fake "user" makes ----

  /** What the bot may do where an interaction comes from (DMs: the documented fixed set). */
  appPermissions(channelId: string, direct: boolean): bigint {
    if (direct) return permission.attachFiles | permission.embedLinks | permission.mentionEveryone | permission.useExternalEmojis;
    return this.guild.permissionsIn(channelId);
  }

  /** Sends an interaction like Discord does and returns its token (responses carry it in their paths). */
  interact(type: number, data: Record<string, unknown>, as: InteractOptions): string {
    const id = this.id();
    const token = `token-${id}`;
    const direct = as.direct ?? false;
    this.users.set(as.user.id, as.user);
    // In the server, interacting with coordinator permissions means having its coordination role.
    if (!direct && (BigInt(as.permissions ?? "3072") & 0x30n) !== 0n) this.guild.coordinators.add(as.user.id);
    else if (!direct) this.guild.coordinators.delete(as.user.id);
    const channel = direct ? this.dmChannelOf(as.user.id) : (as.channel ?? this.channelId);
    const iso = new Date(this.now()).toISOString();
    this.interactions.open(id, token, type, channel, this.now());
    this.dispatch("INTERACTION_CREATE", {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      ...(direct
        ? { user: this.user(as.user), context: 1, authorizing_integration_owners: { "0": "0" } }
        : {
            guild_id: this.guildId,
            guild_locale: "de",
            context: 0,
            authorizing_integration_owners: { "0": this.guildId },
            member: {
              user: this.user(as.user),
              roles: this.guild.coordinators.has(as.user.id) ? [this.guild.coordinationRole.id] : [],
              permissions: as.permissions ?? "3072",
              joined_at: iso,
              deaf: false,
              mute: false,
              flags: 0,
              nick: null,
            },
          }),
      channel_id: channel,
      channel: direct ? { id: channel, type: channelType.dm } : this.guild.partial(channel, iso),
      app_permissions: this.appPermissions(channel, direct).toString(),
      locale: as.locale ?? "de",
      entitlements: [],
      data,
      ...(as.message ? { message: as.message } : {}),
    });
    return token;
  }

  slash(name: string, options: unknown[], as: InteractOptions): string {
    return this.interact(2, { id: this.id(), name, type: 1, options }, as);
  }

  press(customId: string, message: unknown, as: InteractOptions): string {
    return this.interact(3, { custom_id: customId, component_type: 2 }, { ...as, message });
  }

  /** A message object as Discord returns it. */
  message(channelId: string, body: unknown, id = this.id()): Record<string, unknown> {
    const b = (body ?? {}) as Record<string, unknown>;
    return {
      id,
      channel_id: channelId,
      author: this.user({ id: this.applicationId, username: "Teambot" }, true),
      content: typeof b.content === "string" ? b.content : "",
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: typeof b.flags === "number" ? b.flags : 0,
      components: Array.isArray(b.components) ? b.components : [],
    };
  }

  // ---- REST ----

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const now = this.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ""));
    const method = req.method ?? "GET";
    const parsed = parseBody(Buffer.concat(chunks).toString("utf8"), req.headers["content-type"] ?? "");
    const recorded: RecordedRequest = { method, path, query: url.search, body: parsed.body, files: parsed.files, at: now, status: 0 };
    this.requests.push(recorded);
    const answer = this.answer(req, recorded, url, parsed.bad);
    recorded.status = answer.status;
    const body = answer.body as { code?: number; message?: string } | undefined;
    if (answer.status >= 400) {
      recorded.code = body?.code;
      recorded.error = body?.message;
    }
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    send(res, answer);
    this.events.emit("request", recorded);
  }

  private answer(req: IncomingMessage, r: RecordedRequest, url: URL, bad: string | undefined): Answer {
    // Interaction endpoints are authorized by their token; everything else needs the bot token.
    const byToken = /^\/(interactions|webhooks)\//.test(r.path);
    if (!byToken && req.headers.authorization !== `Bot ${this.token}`) return fail(401, 0, "401: Unauthorized");
    if (bad) return fail(400, 50109, bad);
    const failure = this.failures.get(r.path)?.shift();
    if (failure === 429) {
      return {
        status: 429,
        headers: { "retry-after": "0.2", "x-ratelimit-scope": "user" },
        body: { message: "You are being rate limited.", retry_after: 0.2, global: false },
      };
    }
    if (failure !== undefined) return fail(failure, 0, "Server error");
    const limit = this.rateLimits.take(r.method, r.path, r.at);
    if (limit.limited) {
      return {
        status: 429,
        headers: limit.headers,
        body: { message: "You are being rate limited.", retry_after: limit.retryAfterMs / 1000, global: limit.scope === "global" },
      };
    }
    const locale = req.headers["x-discord-locale"];
    const answer = route(this, {
      method: r.method,
      path: r.path,
      query: url.searchParams,
      body: r.body,
      files: r.files,
      locale: typeof locale === "string" ? locale : undefined,
      now: r.at,
    });
    return { ...answer, headers: { ...limit.headers, ...answer.headers } };
  }
}
