import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A small fake Discord on 127.0.0.1: the REST routes the adapter and discord.js use, and a
 * JSON gateway (HELLO, heartbeat ACK, IDENTIFY -> READY + GUILD_CREATE, RESUME -> RESUMED).
 * It records every REST request so tests can read what the bot sent.
 */
export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, decoded ("/webhooks/1/tok/messages/@original"). */
  path: string;
  query: string;
  body: unknown;
  files: string[];
}

export interface FakeUser {
  id: string;
  username: string;
  globalName?: string;
}

const json = (res: ServerResponse, status: number, value: unknown): void => {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
};

/** Reads a JSON body, or the payload_json part of a multipart body (requests with files). */
function parseBody(raw: string, contentType: string): { body: unknown; files: string[] } {
  if (raw === "") return { body: undefined, files: [] };
  if (contentType.startsWith("multipart/form-data")) {
    const payload = /name="payload_json"\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1];
    const files = [...raw.matchAll(/name="files\[\d+\]"; filename="([^"]+)"/g)].map((m) => m[1] ?? "");
    return { body: payload ? (JSON.parse(payload) as unknown) : undefined, files };
  }
  return { body: JSON.parse(raw) as unknown, files: [] };
}

export class FakeDiscord {
  readonly applicationId = "100000000000000001";
  readonly guildId = "200000000000000002";
  readonly channelId = "300000000000000003";
  readonly dmChannelId = "300000000000000099";
  /** DM channels of particular users (others get `dmChannelId`), so tests can tell DMs apart. */
  readonly dmChannels = new Map<string, string>();
  /** A thread in the team channel. */
  readonly threadId = "300000000000000033";
  /** The only bot token this Discord accepts. */
  readonly token = "test-token";
  readonly requests: RecordedRequest[] = [];
  /** Application commands as Discord stores them: guild-scoped and global. */
  guildCommands: unknown[] = [];
  globalCommands: unknown[] = [];
  /** Answers to give for a path before the real one: 429 (rate limited) or a 5xx status. */
  readonly failures = new Map<string, number[]>();
  /** Channels that refuse messages (403 Missing Access). */
  readonly refusing = new Set<string>();
  /** The application's flags (privileged intents it may use: 1 << 14 Server Members, ...). */
  applicationFlags = 0;
  /** The bot's permissions in the guild, as GET /users/@me/guilds reports them (the invite link's). */
  botPermissions = "563224831446016";
  identifies = 0;
  resumes = 0;
  connections = 0;
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<WebSocket>();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private port = 0;
  private seq = 0;
  private nextId = 500000000000000000n;

  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  id(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    this.server = server;
    this.wss = new WebSocketServer({ server });
    this.wss.on("connection", (socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
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

  /** Resolves when `count` gateway sessions have been set up (IDENTIFY or RESUME). */
  async waitForSessions(count: number, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.identifies + this.resumes < count) {
      if (Date.now() > deadline) throw new Error("fake Discord: no new gateway session");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Cuts every gateway connection abruptly, as a network failure would. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: this.seq, d });
    for (const socket of this.sockets) socket.send(frame);
  }

  // ---- gateway ----

  private onConnection(socket: WebSocket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: 41250 } }));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { op: number };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      else if (frame.op === 2) this.identify();
      else if (frame.op === 6) {
        this.resumes += 1;
        this.dispatch("RESUMED", {});
      }
    });
  }

  private identify(): void {
    this.identifies += 1;
    this.seq = 0;
    this.dispatch("READY", {
      v: 10,
      user: this.user({ id: this.applicationId, username: "Teambot" }, true),
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: `session-${this.identifies}`,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      application: { id: this.applicationId, flags: 0 },
      shard: [0, 1],
    });
    this.dispatch("GUILD_CREATE", this.guild());
  }

  user(u: FakeUser, bot = false): Record<string, unknown> {
    return {
      id: u.id,
      username: u.username,
      global_name: u.globalName ?? null,
      discriminator: "0",
      avatar: null,
      bot,
      flags: 0,
    };
  }

  private guild(): Record<string, unknown> {
    return {
      id: this.guildId,
      name: "Migration team",
      icon: null,
      owner_id: "999999999999999999",
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: this.guildId,
          name: "@everyone",
          permissions: "3072",
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: "de",
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      voice_states: [],
      members: [],
      channels: [
        {
          id: this.channelId,
          type: 0,
          name: "team",
          guild_id: this.guildId,
          position: 0,
          permission_overwrites: [],
          parent_id: null,
        },
      ],
      threads: [
        {
          id: this.threadId,
          type: 11,
          name: "Welcome week",
          guild_id: this.guildId,
          parent_id: this.channelId,
          owner_id: "999999999999999999",
          thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
          message_count: 0,
          member_count: 1,
        },
      ],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  // ---- interactions the fake "user" makes ----

  /** Sends an interaction like Discord does and returns its token (responses carry it in their paths). */
  interact(
    type: number,
    data: Record<string, unknown>,
    as: {
      user: FakeUser;
      locale?: string;
      permissions?: string;
      direct?: boolean;
      message?: unknown;
      channel?: string;
    },
  ): string {
    const id = this.id();
    const token = `token-${id}`;
    const direct = as.direct ?? false;
    const channel = direct ? this.dmChannelId : (as.channel ?? this.channelId);
    this.dispatch("INTERACTION_CREATE", {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      ...(direct
        ? { user: this.user(as.user), context: 1, authorizing_integration_owners: { "1": as.user.id } }
        : {
            guild_id: this.guildId,
            guild_locale: "de",
            context: 0,
            authorizing_integration_owners: { "0": this.guildId },
            member: {
              user: this.user(as.user),
              roles: [],
              permissions: as.permissions ?? "3072",
              joined_at: new Date().toISOString(),
              deaf: false,
              mute: false,
              flags: 0,
              nick: null,
            },
          }),
      channel_id: channel,
      channel: direct
        ? { id: channel, type: 1 }
        : { id: channel, type: 0, guild_id: this.guildId, name: "team" },
      app_permissions: "0",
      locale: as.locale ?? "de",
      entitlements: [],
      data,
      ...(as.message ? { message: as.message } : {}),
    });
    return token;
  }

  slash(
    name: string,
    options: unknown[],
    as: { user: FakeUser; locale?: string; permissions?: string; direct?: boolean; channel?: string },
  ): string {
    return this.interact(2, { id: this.id(), name, type: 1, options }, as);
  }

  press(customId: string, message: unknown, as: { user: FakeUser; locale?: string }): string {
    return this.interact(3, { custom_id: customId, component_type: 2 }, { ...as, message });
  }

  // ---- REST ----

  message(channelId: string, body: unknown): Record<string, unknown> {
    const b = (body ?? {}) as Record<string, unknown>;
    return {
      id: this.id(),
      channel_id: channelId,
      author: this.user({ id: this.applicationId, username: "Teambot" }, true),
      content: typeof b.content === "string" ? b.content : "",
      timestamp: new Date().toISOString(),
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

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ""));
    const method = req.method ?? "GET";
    const { body, files } = parseBody(
      Buffer.concat(chunks).toString("utf8"),
      req.headers["content-type"] ?? "",
    );
    const recorded: RecordedRequest = { method, path, query: url.search, body, files };
    this.requests.push(recorded);
    if (req.headers.authorization !== `Bot ${this.token}`) {
      json(res, 401, { message: "401: Unauthorized", code: 0 });
      return;
    }
    const failure = this.failures.get(path)?.shift();
    if (failure === 429) {
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": "0.2", "x-ratelimit-scope": "user" })
        .end(JSON.stringify({ message: "You are being rate limited.", retry_after: 0.2, global: false }));
    } else if (failure !== undefined) {
      json(res, failure, { message: "Server error", code: 0 });
    } else {
      const [status, answer] = this.route(method, path, body);
      json(res, status, answer);
    }
    this.events.emit("request", recorded);
  }

  private route(method: string, path: string, body: unknown): [number, unknown] {
    const app = this.applicationId;
    const at = (pattern: RegExp): string[] | undefined => {
      const m = pattern.exec(path);
      return m ? m.slice(1).map((v) => v ?? "") : undefined;
    };
    if (method === "GET" && path === "/gateway/bot") {
      return [
        200,
        {
          url: `ws://127.0.0.1:${this.port}`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        },
      ];
    }
    const commands = at(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/);
    if (commands && commands[0] === app) {
      const guild = commands[1] !== "";
      if (method === "PUT" && Array.isArray(body)) {
        const stored = body.map((c: Record<string, unknown>) => ({
          ...c,
          id: this.id(),
          application_id: app,
          version: this.id(),
          default_member_permissions: null,
          ...(guild ? { guild_id: commands[1] } : {}),
          nsfw: false,
        }));
        if (guild) this.guildCommands = stored;
        else this.globalCommands = stored;
        return [200, stored];
      }
      return [200, guild ? this.guildCommands : this.globalCommands];
    }
    if (method === "POST" && at(/^\/interactions\/\d+\/[^/]+\/callback$/)) return [204, null];
    if (at(/^\/webhooks\/\d+\/[^/]+\/messages\/@original$/)) {
      return method === "DELETE" ? [204, null] : [200, this.message(this.channelId, body)];
    }
    if (method === "POST" && at(/^\/webhooks\/\d+\/[^/]+$/)) return [200, this.message(this.channelId, body)];
    const post = at(/^\/channels\/(\d+)\/messages$/);
    if (post && method === "POST") {
      const channel = post[0] ?? "";
      if (this.refusing.has(channel)) return [403, { message: "Missing Access", code: 50001 }];
      return [200, this.message(channel, body)];
    }
    const edit = at(/^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (edit && method === "PATCH") return [200, { ...this.message(edit[0] ?? "", body), id: edit[1] }];
    const expire = at(/^\/channels\/(\d+)\/polls\/(\d+)\/expire$/);
    if (expire && method === "POST") return [200, { ...this.message(expire[0] ?? "", {}), id: expire[1] }];
    if (method === "POST" && path === "/users/@me/channels") {
      const recipient = String((body as { recipient_id?: unknown }).recipient_id ?? "");
      return [
        200,
        {
          id: this.dmChannels.get(recipient) ?? this.dmChannelId,
          type: 1,
          recipients: [this.user({ id: recipient, username: "someone" })],
        },
      ];
    }
    // What the doctor asks: the bot's own account, application, servers and channels.
    if (method === "GET" && path === "/users/@me") return [200, this.user({ id: app, username: "Teambot" }, true)];
    if (method === "GET" && path === "/applications/@me") {
      return [200, { id: app, name: "Teambot", flags: this.applicationFlags, bot_public: false, bot_require_code_grant: false }];
    }
    if (method === "GET" && path === "/users/@me/guilds") {
      return [200, [{ id: this.guildId, name: "Migration team", icon: null, owner: false, permissions: this.botPermissions, features: [] }]];
    }
    const channelGet = at(/^\/channels\/(\d+)$/);
    if (channelGet && method === "GET") {
      const id = channelGet[0] ?? "";
      if (this.refusing.has(id)) return [403, { message: "Missing Access", code: 50001 }];
      const guild = this.guild();
      const found = [guild.channels, guild.threads]
        .flatMap((list) => list as Record<string, unknown>[])
        .find((c) => c.id === id);
      return found ? [200, found] : [404, { message: "Unknown Channel", code: 10003 }];
    }
    const user = at(/^\/users\/(\d+)$/);
    if (user && method === "GET") {
      return [200, this.user({ id: user[0] ?? "", username: `user${user[0]?.slice(-3)}` })];
    }
    const member = at(/^\/guilds\/(\d+)\/members\/(\d+)$/);
    if (member && method === "GET") {
      return [
        200,
        {
          user: this.user({ id: member[1] ?? "", username: `user${member[1]?.slice(-3)}` }),
          roles: [],
          joined_at: new Date().toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
          nick: null,
        },
      ];
    }
    return [404, { message: "Unknown route in the fake Discord", code: 0 }];
  }
}
