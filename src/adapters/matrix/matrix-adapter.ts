import {
  ClientEvent,
  HttpApiEvent,
  KnownMembership,
  type MatrixClient,
  type MatrixEvent,
  type Room,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
} from "matrix-js-sdk";
import type { Adapter, BotPort, DeliveryTarget } from "../../core/adapter.ts";
import type { Logger } from "../../core/log.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import type { Language } from "../../core/time.ts";
import type { Db } from "../../db/client.ts";
import { catchUp } from "./catch-up.ts";
import { connect } from "./connect.ts";
import { MAX_TEXT } from "./content.ts";
import { MatrixInbound } from "./inbound.ts";
import { type RawEvent, rawEventSchema } from "./incoming.ts";
import { acceptInvite } from "./invites.ts";
import { MatrixOutbound } from "./outbound.ts";
import { msc3381Polls } from "./poll.ts";
import { defaultRetry, type RetryPolicy, withRetry } from "./retry.ts";
import { MatrixStore } from "./store.ts";

export interface MatrixAdapterOptions {
  homeserverUrl: string;
  accessToken?: string;
  userId?: string;
  password?: string;
  /** Servers ("example.org") or users ("@ann:example.org") whose invites are accepted; empty: all. */
  inviteAllow: readonly string[];
  coordinatorPowerLevel: number;
  /** Language of the greeting in rooms that have no team yet. */
  language: Language;
  db: Db;
  log: Logger;
  /** Long-poll timeout of /sync (tests use a short one so that stopping is quick). */
  pollTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Commands sent while the bot was down are caught up if they are at most this old. */
  catchUpMaxAgeMs?: number;
  /** How long `start` waits for the first sync before going on in the background. */
  startTimeoutMs?: number;
}

export { inviteAllowed } from "./invites.ts";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Turns "matrix:!room:server" into the room id. */
export function roomIdOf(ref: string): string {
  if (!ref.startsWith("matrix:!")) throw new Error(`not a Matrix room: ${ref}`);
  return ref.slice("matrix:".length);
}

/**
 * Matrix through matrix-js-sdk: rooms are "matrix:!id:server", members "matrix:@user:server".
 * Commands are `!cmd`/`/cmd` messages; answers are HTML replies; choices are numbered
 * (answered by replying with the number, reacting with its keycap, or sending the command);
 * native polls are MSC3381. Only events after the first sync count; events the bot missed
 * while it was down are caught up once from the sync token saved in the database.
 */
export class MatrixAdapter implements Adapter {
  readonly name = "matrix";
  readonly capabilities = {
    buttons: false,
    nativePolls: msc3381Polls,
    editMessages: true,
    maxMessageLength: MAX_TEXT,
  };
  /** Resolves when the first sync is done and missed commands are caught up. */
  readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private client: MatrixClient | undefined;
  private store: MatrixStore | undefined;
  private out: MatrixOutbound | undefined;
  private inbound: MatrixInbound | undefined;
  private me = "";
  private prepared = false;
  private stopped = false;
  /** While catching up: live events wait here, so each room's events are handled in order. */
  private held: { roomId: string; event: RawEvent }[] | undefined;
  private lastState: SyncState | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private savedToken: string | undefined;
  private pendingToken: string | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly invites = new Set<string>();
  private readonly retry: RetryPolicy;

  private readonly options: MatrixAdapterOptions;

  constructor(options: MatrixAdapterOptions) {
    this.options = options;
    this.retry = options.retry ?? defaultRetry;
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  /** The bot's own user id (after start). */
  get userId(): string {
    return this.me;
  }

  async start(bot: BotPort): Promise<void> {
    const log = this.options.log;
    const client = await connect(this.options, log, this.retry, () => this.stopped);
    if (this.stopped) return;
    this.client = client;
    this.me = client.getSafeUserId();
    const store = new MatrixStore(this.options.db, this.me);
    this.store = store;
    const out = new MatrixOutbound(client, store, this.retry, log, () => this.stopped, bot.clock);
    this.out = out;
    this.inbound = new MatrixInbound({
      client,
      bot,
      out,
      store,
      log,
      me: this.me,
      coordinatorPowerLevel: this.options.coordinatorPowerLevel,
      stopped: () => this.stopped,
    });
    this.savedToken = await store.syncToken();
    const prune = () =>
      store
        .pruneClaims(new Date(Date.now() - 2 * this.maxAge()))
        .catch((error: unknown) => log.warn({ err: error }, "matrix: old event claims not pruned"));
    await prune();
    this.pruneTimer = setInterval(() => void prune(), 6 * 60 * 60 * 1000);
    this.pruneTimer.unref();

    client.on(ClientEvent.Sync, (state, _prev, data) => this.onSync(state, data?.nextSyncToken));
    client.on(HttpApiEvent.SessionLoggedOut, (error) =>
      log.error(
        { err: error },
        "matrix: the bot's session ended (token revoked?); set new credentials and restart",
      ),
    );
    client.on(RoomEvent.Timeline, (event, room, toStart, _removed, data) => {
      if (!this.prepared || toStart || !room || data.liveEvent === false) return;
      this.onLiveEvent(event, room);
    });
    client.on(RoomMemberEvent.Membership, (event, member) => {
      if (!this.prepared || member.userId !== this.me) return;
      if (member.membership === KnownMembership.Invite) {
        void this.enqueue(member.roomId, () => this.onInvite(member.roomId, event));
      } else if (member.membership === KnownMembership.Leave || member.membership === KnownMembership.Ban) {
        // Gone (left, kicked): a later invite is a new one.
        this.invites.delete(member.roomId);
      }
    });
    await client.startClient({
      initialSyncLimit: 1,
      lazyLoadMembers: false,
      threadSupport: false,
      pollTimeout: this.options.pollTimeoutMs ?? 30_000,
      disablePresence: true,
    });
    const timeout = this.options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const ready = await Promise.race([
      this.ready.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeout);
      }),
    ]);
    clearTimeout(timer);
    if (!ready)
      log.warn({ timeoutMs: timeout }, "matrix: first sync still running, going on in the background");
    else log.info({ userId: this.me }, "matrix: connected");
  }

  /** Synced at least once and not (re)connecting now. */
  connected(): boolean {
    const up = [SyncState.Prepared, SyncState.Syncing, SyncState.Catchup];
    return this.prepared && !this.stopped && this.lastState !== undefined && up.includes(this.lastState);
  }

  /** The session's access token (the doctor's checks at start use it instead of logging in again). */
  get accessToken(): string | undefined {
    return this.client?.getAccessToken() ?? undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pruneTimer);
    this.client?.stopClient();
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
    await this.saving;
    this.client?.removeAllListeners();
  }

  async send(target: DeliveryTarget, message: OutgoingMessage): Promise<string> {
    const out = this.outbound();
    const roomId = "room" in target ? roomIdOf(target.room) : await out.directRoom(target.member);
    return out.sendMessage(roomId, message);
  }

  async edit(room: string, messageId: string, message: OutgoingMessage): Promise<void> {
    await this.outbound().edit(roomIdOf(room), messageId, message);
  }

  parseMention(token: string): string | undefined {
    let id = token.trim().replace(/^matrix:/, "");
    const link = /^https:\/\/matrix\.to\/#\/(@[^/?#]+)/.exec(id);
    if (link?.[1]) id = decodeURIComponent(link[1]);
    if (/^@[^:\s]+:[^\s:]+(:\d+)?$/.test(id)) return `matrix:${id}`;
    return this.memberByShortName(id.replace(/^@/, ""));
  }

  /** "@bob" or "Bob": the one member of the bot's rooms with that user name or display name. */
  private memberByShortName(name: string): string | undefined {
    if (!this.client || !/^[\p{L}\p{N}._=-]{1,64}$/u.test(name)) return undefined;
    const wanted = name.toLowerCase();
    const found = new Set<string>();
    for (const room of this.client.getRooms()) {
      for (const member of room.getJoinedMembers()) {
        if (member.userId === this.me) continue;
        const local = member.userId.slice(1, member.userId.indexOf(":")).toLowerCase();
        if (local === wanted || member.rawDisplayName.toLowerCase() === wanted) found.add(member.userId);
      }
    }
    const [only] = found;
    return found.size === 1 && only ? `matrix:${only}` : undefined;
  }

  // ---- sync ----

  private maxAge(): number {
    return this.options.catchUpMaxAgeMs ?? DAY_MS;
  }

  private outbound(): MatrixOutbound {
    if (!this.out) throw new Error("matrix adapter not started");
    return this.out;
  }

  private onSync(state: SyncState, nextToken: string | undefined): void {
    const log = this.options.log;
    const previous = this.lastState;
    this.lastState = state;
    if (state === SyncState.Error && previous !== SyncState.Error && previous !== SyncState.Reconnecting) {
      log.warn("matrix: homeserver unreachable, retrying");
    } else if (
      state === SyncState.Syncing &&
      (previous === SyncState.Error || previous === SyncState.Reconnecting)
    ) {
      log.info("matrix: homeserver reachable again");
    }
    if (state === SyncState.Prepared && !this.prepared) {
      this.prepared = true;
      if (this.savedToken) this.held = [];
      void this.afterFirstSync().finally(() => this.markReady());
      return;
    }
    if (nextToken && this.prepared && !this.held && !this.stopped) this.saveToken(nextToken);
  }

  /** Accepts invites that came while the bot was away, catches up missed commands, then saves the position. */
  private async afterFirstSync(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const invited: string = KnownMembership.Invite;
    for (const room of client.getRooms()) {
      if (room.getMyMembership() !== invited) continue;
      const invite = room.getMember(this.me)?.events.member;
      if (invite) void this.enqueue(room.roomId, () => this.onInvite(room.roomId, invite));
    }
    const since = this.savedToken;
    if (since) {
      let missed: { roomId: string; event: RawEvent }[] = [];
      try {
        const notBefore = Date.now() - this.maxAge();
        missed = await withRetry(
          () => catchUp(client, since, notBefore, this.options.log),
          this.retry,
          () => this.stopped,
        );
      } catch (error) {
        this.options.log.warn({ err: error }, "matrix: could not catch up on missed events");
      }
      // Missed events first, then what arrived live meanwhile (claims drop the overlap).
      const all = [...missed, ...(this.held ?? [])];
      this.held = undefined;
      await Promise.allSettled(
        all.map(({ roomId, event }) => this.enqueue(roomId, () => this.onEvent(roomId, event))),
      );
    }
    const token = client.store.getSyncToken();
    if (token) this.saveToken(token);
  }

  private saveToken(token: string): void {
    this.pendingToken = token;
    this.saving = this.saving
      .then(async () => {
        const next = this.pendingToken;
        if (!next || next === this.savedToken || !this.store) return;
        await this.store.saveSyncToken(next);
        this.savedToken = next;
      })
      .catch((error: unknown) => this.options.log.warn({ err: error }, "matrix: sync position not saved"));
  }

  /**
   * Work per room runs in order (commands, then the votes after them); rooms run side by side.
   * The promise never rejects (failures are logged here), so event callbacks may leave it running.
   */
  private enqueue(roomId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(roomId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      this.options.log.error({ err: error, roomId }, "matrix: event handling failed");
    });
    this.queues.set(roomId, next);
    void next.finally(() => {
      if (this.queues.get(roomId) === next) this.queues.delete(roomId);
    });
    return next;
  }

  private onLiveEvent(event: MatrixEvent, room: Room): void {
    const parsed = rawEventSchema.safeParse(event.event);
    if (!parsed.success) return;
    if (this.held) this.held.push({ roomId: room.roomId, event: parsed.data });
    else void this.enqueue(room.roomId, () => this.onEvent(room.roomId, parsed.data));
  }

  // ---- incoming events ----

  private async onEvent(roomId: string, event: RawEvent): Promise<void> {
    if (this.stopped || !this.inbound) return;
    await this.inbound.handle(roomId, event);
  }

  // ---- invites ----

  private onInvite(roomId: string, invite: MatrixEvent): Promise<void> {
    const { client, out, store } = this;
    if (!client || !out || !store || this.invites.has(roomId) || this.stopped) return Promise.resolve();
    this.invites.add(roomId);
    return acceptInvite(
      {
        client,
        out,
        store,
        db: this.options.db,
        log: this.options.log,
        retry: this.retry,
        stopped: () => this.stopped,
        allow: this.options.inviteAllow,
        language: this.options.language,
      },
      roomId,
      invite,
    );
  }
}
