import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeKeys } from "./fake-keys.ts";
import { FakeAccount } from "./fake-account.ts";
import { type FakeEvent, type FakeRoom, isDuplicateAnnotation, messagesPage, roomsSince } from "./fake-sync.ts";

export type { FakeEvent } from "./fake-sync.ts";

/**
 * A small fake Matrix homeserver on 127.0.0.1: just what matrix-js-sdk and the adapter call
 * (login, versions, push rules, capabilities, filter, sync with long-poll, send with the
 * transaction id echoed, join, leave, createRoom, event, joined_members, profile, account
 * data). Everything else answers 404 M_UNRECOGNIZED. State lives in memory and survives
 * `stop()`/`start()`, so tests can restart the "server" under the running bot.
 */

export interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: Record<string, unknown>;
  times: number;
}

export const SERVER = "fake.test";

export class FakeHomeserver {
  readonly botUserId = `@teambot:${SERVER}`;
  readonly accessToken = "bot-access-token";
  readonly password = "bot-password";
  /** The bot's access tokens and devices. */
  readonly account = new FakeAccount(this.botUserId, this.password, (device) =>
    this.keys.deviceKeys.get(this.botUserId)?.delete(device),
  );
  /** Encryption keys, to-device messages and key backup of the bot's account. */
  readonly keys = new FakeKeys(this.password, () => {
    this.wake();
    return ++this.pos;
  });
  /** How many timeline events an initial sync returns per room. */
  initialTimelineLimit = 1;
  /** Every request, "METHOD /path" (tests assert on calls). */
  readonly requests: string[] = [];
  readonly failures: Failure[] = [];
  /** Requests answered 404 (what the SDK asked for that we do not implement). */
  readonly unknown: string[] = [];
  port = 0;
  private server: Server | undefined;
  private readonly rooms = new Map<string, FakeRoom>();
  private readonly profiles = new Map<string, string>();
  private readonly txns = new Map<string, string>();
  private readonly clear = new Map<string, { type: string; content: Record<string, unknown> }>();
  private readonly accountData = new Map<string, unknown>();
  private readonly accountDataPos = new Map<string, number>();
  /** Rooms the bot created (direct-message rooms), with the request body. */
  readonly createdRooms: { roomId: string; body: Record<string, unknown> }[] = [];
  private pos = 0;
  /** The device of the request being answered. */
  private deviceId = "FAKEDEVICE";
  private nextId = 1;
  private waiters: (() => void)[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      void this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, { errcode: "M_UNKNOWN", error: String(error) });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the socket and every open connection (a homeserver going down). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    this.wake();
    await done;
  }

  // ---- test controls ----

  setProfile(userId: string, displayName: string): void {
    this.profiles.set(userId, displayName);
  }

  /** A room with members (already joined) and their power levels; the bot is not in it yet. */
  createRoom(options: {
    name?: string;
    creator: string;
    members?: string[];
    powerLevels?: Record<string, number>;
    encrypted?: boolean;
  }): string {
    const id = `!r${this.nextId++}:${SERVER}`;
    this.rooms.set(id, { id, timeline: [], state: new Map() });
    this.emit(id, options.creator, "m.room.create", { creator: options.creator, room_version: "10" }, "");
    for (const member of [options.creator, ...(options.members ?? [])]) {
      this.emit(id, member, "m.room.member", { membership: "join", displayname: this.name(member) }, member);
    }
    this.emit(
      id,
      options.creator,
      "m.room.power_levels",
      { users: { [options.creator]: 100, ...options.powerLevels }, users_default: 0, events_default: 0 },
      "",
    );
    if (options.name) this.emit(id, options.creator, "m.room.name", { name: options.name }, "");
    if (options.encrypted) {
      this.emit(id, options.creator, "m.room.encryption", { algorithm: "m.megolm.v1.aes-sha2" }, "");
    }
    return id;
  }

  invite(roomId: string, inviter: string, invitee = this.botUserId, isDirect = false): string {
    return this.emit(
      roomId,
      inviter,
      "m.room.member",
      { membership: "invite", ...(isDirect ? { is_direct: true } : {}) },
      invitee,
    );
  }

  join(roomId: string, userId: string): string {
    return this.emit(
      roomId,
      userId,
      "m.room.member",
      { membership: "join", displayname: this.name(userId) },
      userId,
    );
  }

  /** A member types a message. */
  say(roomId: string, sender: string, body: string, extra: Record<string, unknown> = {}): string {
    return this.emit(roomId, sender, "m.room.message", { msgtype: "m.text", body, ...extra });
  }

  emit(
    roomId: string,
    sender: string,
    type: string,
    content: Record<string, unknown>,
    stateKey?: string,
    unsigned?: Record<string, unknown>,
  ): string {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`no room ${roomId}`);
    const event: FakeEvent = {
      event_id: `$e${this.nextId++}`,
      room_id: roomId,
      type,
      sender,
      origin_server_ts: Date.now(),
      content,
      ...(stateKey !== undefined ? { state_key: stateKey } : {}),
      ...(unsigned ? { unsigned } : {}),
    };
    room.timeline.push({ pos: ++this.pos, event });
    if (stateKey !== undefined) room.state.set(`${type}|${stateKey}`, event);
    this.wake();
    return event.event_id;
  }

  /** Events in a room, oldest first. */
  events(roomId: string): FakeEvent[] {
    return this.rooms.get(roomId)?.timeline.map((e) => e.event) ?? [];
  }

  /**
   * Events the bot sent (not state), anywhere or in one room. Encrypted ones appear with
   * their clear type and content once revealed (the test decrypts them with the bot's own
   * keys, see `revealOwnEcho`); until then as `m.room.encrypted`.
   */
  sentByBot(roomId?: string): FakeEvent[] {
    const rooms = roomId ? [this.rooms.get(roomId)].filter((r) => r !== undefined) : [...this.rooms.values()];
    return rooms
      .flatMap((r) => r.timeline)
      .sort((a, b) => a.pos - b.pos)
      .map((e) => e.event)
      .filter((e) => e.sender === this.botUserId && e.state_key === undefined)
      .map((e) => {
        const clear = this.clear.get(e.event_id);
        return clear ? { ...e, ...clear, encrypted: true as const } : e;
      });
  }

  /** The bot's account data of a type, as it last set it. */
  accountDataOf(type: string): unknown {
    return this.accountData.get(type);
  }

  /** The clear type and content of an encrypted event (decrypted by the test). */
  reveal(eventId: string, type: string, content: Record<string, unknown>): void {
    this.clear.set(eventId, { type, content });
    this.wake();
  }

  membership(roomId: string, userId: string): string | undefined {
    const content = this.rooms.get(roomId)?.state.get(`m.room.member|${userId}`)?.content;
    return typeof content?.membership === "string" ? content.membership : undefined;
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** Waits until `find` returns something (checked on every change), or fails after `ms`. */
  async waitFor<T>(find: () => T | undefined, ms = 8000, what = "condition"): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = find();
      if (found !== undefined && found !== false) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next `times` requests matching method and path fail with this status and body. */
  fail(method: string, path: RegExp, status: number, body: Record<string, unknown>, times = 1): void {
    this.failures.push({ method, path, status, body, times });
  }

  // ---- HTTP ----

  private name(userId: string): string {
    return this.profiles.get(userId) ?? userId.slice(1).split(":")[0] ?? userId;
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    if (!text) return {};
    if (!(req.headers["content-type"] ?? "").includes("json")) return { bytes: text.length };
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const segments = url.pathname.split("/").map((s) => decodeURIComponent(s));
    const path = segments.join("/");
    this.requests.push(`${method} ${path}`);
    const failure = this.failures.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (failure) {
      failure.times--;
      this.json(res, failure.status, failure.body);
      return;
    }
    const body = method === "GET" ? {} : await this.body(req);
    const api = path.replace(/^\/_matrix\/(client|media)\/(v3|r0|v1)/, "");
    const deviceId = this.account.deviceOf(req.headers.authorization);

    if (method === "GET" && path === "/_matrix/client/versions") {
      this.json(res, 200, {
        versions: ["v1.1", "v1.5", "v1.6", "v1.9", "v1.11", "v1.12"],
        unstable_features: {},
      });
      return;
    }
    if (method === "POST" && api === "/login") {
      const answer = this.account.login(body);
      this.json(res, answer.status, answer.body);
      return;
    }
    if (deviceId === undefined) {
      this.json(res, 401, { errcode: "M_UNKNOWN_TOKEN", error: "Unknown access token" });
      return;
    }
    this.deviceId = deviceId;
    const keyRoute = [...this.keys.routes, ...this.account.routes].find(
      (r) => r.method === method && r.pattern.test(api),
    );
    const keyMatch = keyRoute?.pattern.exec(api);
    if (keyRoute && keyMatch) {
      const answer = keyRoute.handle(keyMatch.slice(1), body, { userId: this.botUserId, deviceId });
      this.json(res, answer.status, answer.body);
      return;
    }
    const route = this.routes.find((r) => r.method === method && r.pattern.test(api));
    const match = route?.pattern.exec(api);
    if (route && match) {
      await route.handle(match.slice(1), body, res, url);
      return;
    }
    this.unknown.push(`${method} ${path}`);
    this.json(res, 404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });
  }

  private readonly routes: {
    method: string;
    pattern: RegExp;
    handle: (
      params: string[],
      body: Record<string, unknown>,
      res: ServerResponse,
      url: URL,
    ) => Promise<void> | void;
  }[] = [
    {
      method: "GET",
      pattern: /^\/account\/whoami$/,
      handle: (_p, _b, res) => this.json(res, 200, { user_id: this.botUserId, device_id: this.deviceId }),
    },
    {
      method: "GET",
      pattern: /^\/pushrules\/$/,
      handle: (_p, _b, res) =>
        this.json(res, 200, { global: { override: [], content: [], room: [], sender: [], underride: [] } }),
    },
    {
      method: "GET",
      pattern: /^\/capabilities$/,
      handle: (_p, _b, res) => this.json(res, 200, { capabilities: {} }),
    },
    {
      method: "POST",
      pattern: /^\/user\/[^/]+\/filter$/,
      handle: (_p, _b, res) => this.json(res, 200, { filter_id: "f1" }),
    },
    { method: "GET", pattern: /^\/sync$/, handle: (_p, _b, res, url) => this.sync(url, res, this.deviceId) },
    {
      method: "GET",
      pattern: /^\/joined_rooms$/,
      handle: (_p, _b, res) =>
        this.json(res, 200, { joined_rooms: this.roomIds().filter((id) => this.membership(id, this.botUserId) === "join") }),
    },
    {
      method: "GET",
      pattern: /^\/rooms\/([^/]+)\/state$/,
      handle: ([roomId = ""], _b, res) => {
        if (this.membership(roomId, this.botUserId) !== "join") {
          this.json(res, 403, { errcode: "M_FORBIDDEN", error: `User ${this.botUserId} not in room ${roomId}` });
          return;
        }
        this.json(res, 200, [...(this.rooms.get(roomId)?.state.values() ?? [])]);
      },
    },
    {
      method: "PUT",
      pattern: /^\/rooms\/([^/]+)\/send\/([^/]+)\/([^/]+)$/,
      handle: ([roomId = "", type = "", txn = ""], body, res) => {
        if (this.membership(roomId, this.botUserId) !== "join") {
          this.json(res, 403, { errcode: "M_FORBIDDEN", error: "not in room" });
          return;
        }
        const known = this.txns.get(txn);
        if (!known && type === "m.reaction" && isDuplicateAnnotation(this.events(roomId), this.botUserId, body)) {
          this.json(res, 400, { errcode: "M_DUPLICATE_ANNOTATION", error: "Can't send same reaction twice" });
          return;
        }
        const eventId = known ?? this.emit(roomId, this.botUserId, type, body, undefined, { transaction_id: txn });
        this.txns.set(txn, eventId);
        this.json(res, 200, { event_id: eventId });
      },
    },
    {
      method: "POST",
      pattern: /^\/join\/([^/]+)$/,
      handle: ([roomId = ""], _b, res) => this.joinBot(roomId, res),
    },
    {
      method: "POST",
      pattern: /^\/rooms\/([^/]+)\/join$/,
      handle: ([roomId = ""], _b, res) => this.joinBot(roomId, res),
    },
    {
      method: "POST",
      pattern: /^\/rooms\/([^/]+)\/leave$/,
      handle: ([roomId = ""], _b, res) => {
        this.emit(roomId, this.botUserId, "m.room.member", { membership: "leave" }, this.botUserId);
        this.json(res, 200, {});
      },
    },
    {
      method: "POST",
      pattern: /^\/createRoom$/,
      handle: (_p, body, res) => {
        const invite = Array.isArray(body.invite) ? body.invite.filter((u) => typeof u === "string") : [];
        const id = this.createRoom({
          creator: this.botUserId,
          powerLevels: Object.fromEntries(invite.map((u) => [u, 100])),
        });
        const initial = Array.isArray(body.initial_state) ? (body.initial_state as Record<string, unknown>[]) : [];
        for (const state of initial) {
          const content = (state.content ?? {}) as Record<string, unknown>;
          this.emit(id, this.botUserId, String(state.type), content, String(state.state_key ?? ""));
        }
        for (const user of invite) this.invite(id, this.botUserId, user, body.is_direct === true);
        this.createdRooms.push({ roomId: id, body });
        this.json(res, 200, { room_id: id });
      },
    },
    {
      method: "GET",
      pattern: /^\/rooms\/([^/]+)\/event\/([^/]+)$/,
      handle: ([roomId = "", eventId = ""], _b, res) => {
        const event = this.events(roomId).find((e) => e.event_id === eventId);
        if (event) this.json(res, 200, event);
        else this.json(res, 404, { errcode: "M_NOT_FOUND", error: "no such event" });
      },
    },
    {
      method: "GET",
      pattern: /^\/rooms\/([^/]+)\/messages$/,
      handle: ([roomId = ""], _b, res, url) =>
        this.json(res, 200, messagesPage(this.rooms.get(roomId)?.timeline ?? [], url)),
    },
    {
      method: "GET",
      pattern: /^\/rooms\/([^/]+)\/state\/([^/]+)\/?([^/]*)$/,
      handle: ([roomId = "", type = "", stateKey = ""], _b, res) => {
        const event = this.rooms.get(roomId)?.state.get(`${type}|${stateKey}`);
        if (event) this.json(res, 200, event.content);
        else this.json(res, 404, { errcode: "M_NOT_FOUND", error: "Event not found." });
      },
    },
    {
      method: "GET",
      pattern: /^\/rooms\/([^/]+)\/joined_members$/,
      handle: ([roomId = ""], _b, res) => {
        const joined: Record<string, { display_name: string }> = {};
        for (const e of this.rooms.get(roomId)?.state.values() ?? []) {
          if (e.type === "m.room.member" && e.content.membership === "join" && e.state_key) {
            joined[e.state_key] = { display_name: this.name(e.state_key) };
          }
        }
        this.json(res, 200, { joined });
      },
    },
    {
      method: "GET",
      pattern: /^\/profile\/([^/]+)$/,
      handle: ([userId = ""], _b, res) => this.json(res, 200, { displayname: this.name(userId) }),
    },
    {
      method: "PUT",
      pattern: /^\/user\/[^/]+\/account_data\/([^/]+)$/,
      handle: ([type = ""], body, res) => {
        this.accountData.set(type, body);
        this.accountDataPos.set(type, ++this.pos);
        this.wake();
        this.json(res, 200, {});
      },
    },
    {
      method: "GET",
      pattern: /^\/user\/[^/]+\/account_data\/([^/]+)$/,
      handle: ([type = ""], _b, res) => {
        if (this.accountData.has(type)) this.json(res, 200, this.accountData.get(type));
        else this.json(res, 404, { errcode: "M_NOT_FOUND", error: "no account data" });
      },
    },
    {
      method: "POST",
      pattern: /^\/upload$/,
      handle: (_p, _b, res) => this.json(res, 200, { content_uri: `mxc://${SERVER}/m${this.nextId++}` }),
    },
  ];

  private joinBot(roomId: string, res: ServerResponse): void {
    const membership = this.membership(roomId, this.botUserId);
    if (membership !== "invite" && membership !== "join") {
      this.json(res, 403, { errcode: "M_FORBIDDEN", error: "not invited" });
      return;
    }
    if (membership === "invite") this.join(roomId, this.botUserId);
    this.json(res, 200, { room_id: roomId });
  }

  private async sync(url: URL, res: ServerResponse, deviceId: string): Promise<void> {
    const since = url.searchParams.get("since");
    const timeout = Math.min(Number(url.searchParams.get("timeout") ?? "0") || 0, 30_000);
    const from = since ? Number(since.replace(/^s/, "")) : undefined;
    if (from !== undefined && this.pos <= from && timeout > 0) {
      const deadline = Date.now() + timeout;
      while (this.pos <= from && Date.now() < deadline && this.server) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          this.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (!this.server || res.destroyed) return;
    }
    this.json(res, 200, this.syncBody(from, deviceId));
  }

  private syncBody(from: number | undefined, deviceId: string): Record<string, unknown> {
    return {
      next_batch: `s${this.pos}`,
      rooms: roomsSince(this.rooms.values(), this.botUserId, from, this.initialTimelineLimit),
      presence: { events: [] },
      account_data: {
        events: [...this.accountData.entries()]
          .filter(([type]) => from === undefined || (this.accountDataPos.get(type) ?? 0) > from)
          .map(([type, content]) => ({ type, content })),
      },
      to_device: { events: this.keys.toDeviceFor(this.botUserId, deviceId, from) },
      device_lists: { changed: [], left: [] },
      device_one_time_keys_count: this.keys.oneTimeKeyCounts(this.botUserId, deviceId),
      device_unused_fallback_key_types: ["signed_curve25519"],
    };
  }
}
