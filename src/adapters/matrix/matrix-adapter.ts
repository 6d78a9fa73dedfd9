import {
  ClientEvent,
  HttpApiEvent,
  KnownMembership,
  type MatrixClient,
  MatrixEvent,
  type Room,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
} from "matrix-js-sdk";
import type { Adapter, BotPort, DeliveryTarget, MemberStatus, SendOptions } from "../../core/adapter.ts";
import type { Logger } from "../../core/log.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import type { Language } from "../../core/time.ts";
import type { Db } from "../../db/client.ts";
import { catchUp } from "./catch-up.ts";
import { connect } from "./connect.ts";
import { MAX_TEXT } from "./content.ts";
import { clearEvent, laterDecrypted } from "./encryption.ts";
import type { RawEvent } from "./incoming.ts";
import { checkRooms, logRoomChecks, OutageLog } from "./health.ts";
import { MatrixInbound } from "./inbound.ts";
import { matrixMemberStatus, membershipEnd } from "./membership.ts";
import { acceptInvite } from "./invites.ts";
import { MatrixOutbound } from "./outbound.ts";
import { msc3381Polls } from "./poll.ts";
import { defaultRetry, type RetryPolicy, withRetry } from "./retry.ts";
import type { SessionKeeper } from "./session.ts";
import { SessionFile } from "./session-file.ts";
import { parseMatrixMention } from "./mentions.ts";
import { isCommandLine } from "./render.ts";
import { RoomQueues } from "./room-queues.ts";
import { MatrixStore } from "./store.ts";
import { SyncPosition } from "./sync-position.ts";
import { establishTrust, RecoveryKeyProvider, readRecoveryKey } from "./trust.ts";

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
  /** The session file (token, device, crypto keys) and the secret it is encrypted with. */
  storePath: string;
  storeKey: string;
  /** End-to-end encryption (default on). */
  encryption?: boolean;
  /** The account's recovery key, as Element shows it: cross-signing and key backup. */
  recoveryKey?: string;
  db: Db;
  log: Logger;
  /** Long-poll timeout of /sync (tests use a short one so that stopping is quick). */
  pollTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Commands sent while the bot was down are caught up if they are at most this old. */
  catchUpMaxAgeMs?: number;
  /** How long a shutdown waits for the commands already received (the rest is handled after the restart). */
  stopDrainMs?: number;
  /** How long `start` waits for the first sync before going on in the background. */
  startTimeoutMs?: number;
  /** How long an event that cannot be decrypted yet waits for its room key. */
  decryptWaitMs?: number;
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
    publicVotes: true,
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
  /** No new events are taken (shutting down): what is queued is still handled. */
  private inputClosed = false;
  /** While catching up: live events wait here, so each room's events are handled in order. */
  private held: { roomId: string; event: MatrixEvent }[] | undefined;
  private keeper: SessionKeeper | undefined;
  private lastState: SyncState | undefined;
  private restoredKeys = false;
  private readonly recovery: RecoveryKeyProvider;
  private readonly outage: OutageLog;
  /** Done when cross-signing and key backup are set up (or failed); start does not wait for it. */
  trusted: Promise<void> = Promise.resolve();
  /** The work after the first sync (invites, catch-up, then trust), which stop lets finish. */
  private firstSync: Promise<void> = Promise.resolve();
  private pruneTimer: NodeJS.Timeout | undefined;
  private position: SyncPosition | undefined;
  private readonly queues: RoomQueues;
  private readonly invites = new Set<string>();
  private readonly retry: RetryPolicy;

  private readonly options: MatrixAdapterOptions;

  constructor(options: MatrixAdapterOptions) {
    this.options = options;
    this.retry = options.retry ?? defaultRetry;
    this.recovery = new RecoveryKeyProvider(options.recoveryKey ? readRecoveryKey(options.recoveryKey) : undefined);
    this.outage = new OutageLog(options.log);
    this.queues = new RoomQueues(options.log);
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  /** The bot's own user id (after start). */
  get userId(): string {
    return this.me;
  }

  /** The SDK client (after start), for checks such as the crypto's view of the bot's device. */
  get sdkClient(): MatrixClient | undefined {
    return this.client;
  }

  async start(bot: BotPort): Promise<void> {
    const log = this.options.log;
    const connection = await connect(
      {
        ...this.options,
        sessionFile: new SessionFile(this.options.storePath, this.options.storeKey),
        encryption: this.encryption(),
        cryptoCallbacks: this.recovery.callbacks,
      },
      log,
      this.retry,
      () => this.stopped,
    );
    const client = connection.client;
    this.keeper = connection.keeper;
    this.restoredKeys = connection.restoredKeys;
    this.recovery.client = client;
    if (this.stopped) {
      client.stopClient();
      await connection.keeper.close();
      return;
    }
    this.client = client;
    this.me = client.getSafeUserId();
    const store = new MatrixStore(this.options.db, this.me);
    this.store = store;
    const out = new MatrixOutbound(client, store, this.retry, log, () => this.stopped, bot.clock, (text) =>
      isCommandLine(bot.registry, text),
    );
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
    this.position = new SyncPosition(store, log);
    await this.position.load();
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
      if (!this.prepared) return;
      if (member.userId !== this.me) {
        if (member.membership === KnownMembership.Join) {
          void this.enqueue(member.roomId, async () => this.inbound?.noteMembers(member.roomId, member.userId));
        }
        // Left, kicked or banned: their membership of the room's team ends.
        const how = membershipEnd(event, member);
        if (how) {
          void this.enqueue(member.roomId, async () => {
            await bot.memberLeft?.(`matrix:${member.roomId}`, `matrix:${member.userId}`, how);
          });
        }
        return;
      }
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

  /** No new events; what is queued is handled (up to `stopDrainMs`, the rest after the restart, once). */
  async stopInput(): Promise<void> {
    this.inputClosed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.queues.drain(),
      new Promise((resolve) => (timer = setTimeout(resolve, this.options.stopDrainMs ?? 10_000))),
    ]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    this.inputClosed = true;
    this.stopped = true;
    clearInterval(this.pruneTimer);
    await this.queues.drain();
    // Cross-signing or a key-backup restore still running must not hold the shutdown up.
    let timer: NodeJS.Timeout | undefined;
    const settled = this.firstSync.then(() => this.trusted);
    await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    this.client?.stopClient();
    await this.position?.written;
    await this.keeper?.close();
    this.client?.removeAllListeners();
  }

  async send(target: DeliveryTarget, message: OutgoingMessage, options?: SendOptions): Promise<string> {
    const out = this.outbound();
    const roomId = "room" in target ? roomIdOf(target.room) : await out.directRoom(target.member);
    return out.sendMessage(roomId, message, undefined, false, options?.key);
  }

  async edit(room: string, messageId: string, message: OutgoingMessage): Promise<void> {
    await this.outbound().edit(roomIdOf(room), messageId, message);
  }

  /** Whether the member is in the room now, and may coordinate it (the room's synced state). */
  async memberStatus(room: string, member: string): Promise<MemberStatus | undefined> {
    if (!this.prepared) return undefined;
    return matrixMemberStatus(this.client, room, member, this.options.coordinatorPowerLevel);
  }

  parseMention(token: string): string | undefined {
    return parseMatrixMention(this.client, this.me, token);
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
    this.lastState = state;
    this.outage.onState(state);
    if (state === SyncState.Prepared && !this.prepared) {
      this.prepared = true;
      if (this.position?.saved) this.held = [];
      this.firstSync = this.afterFirstSync().finally(() => this.markReady());
      return;
    }
    if (nextToken && this.prepared && !this.held) this.saveWhenHandled(nextToken);
  }

  private encryption(): boolean {
    return this.options.encryption ?? true;
  }

  /** Accepts invites that came while the bot was away, catches up missed commands, then saves the position (ready then). */
  private async afterFirstSync(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const invited: Promise<void>[] = [];
    const inviteState: string = KnownMembership.Invite;
    for (const room of client.getRooms()) {
      if (room.getMyMembership() !== inviteState) continue;
      const invite = room.getMember(this.me)?.events.member;
      if (invite) invited.push(this.enqueue(room.roomId, () => this.onInvite(room.roomId, invite)));
    }
    await Promise.allSettled(invited);
    const since = this.position?.saved;
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
      const all = [
        ...missed.map(({ roomId, event }) => ({ roomId, event: new MatrixEvent({ ...event, room_id: roomId }) })),
        ...(this.held ?? []),
      ];
      this.held = undefined;
      await Promise.allSettled(
        all.map(({ roomId, event }) => this.enqueue(roomId, () => this.onEvent(roomId, event))),
      );
    }
    const token = client.store.getSyncToken();
    if (token) this.saveWhenHandled(token);
    if (this.stopped) return;
    // Cross-signing and key backup (a new device restores room keys from it) go on in the
    // background; then the room check says which rooms the bot can read.
    const log = this.options.log;
    const trust = this.encryption()
      ? establishTrust(client, {
          recoveryKey: this.recovery.key,
          ...(this.options.password ? { password: this.options.password } : {}),
          restoredKeys: this.restoredKeys,
          log,
        }).catch((error: unknown) => {
          // Stopped meanwhile: the crypto is torn down under it, nothing went wrong.
          if (this.stopped) log.debug({ err: error }, "matrix: cross-signing and key backup cut short by stop");
          else log.error({ err: error }, "matrix: cross-signing or key backup failed");
        })
      : Promise.resolve();
    this.trusted = trust
      .then(async () => {
        if (!this.stopped) logRoomChecks(log, await checkRooms(client, this.encryption()));
      })
      .catch((error: unknown) => log.warn({ err: error }, "matrix: room check failed"));
  }

  /** Saves a sync position once everything queued up to it was handled (see SyncPosition). */
  private saveWhenHandled(token: string): void {
    if (!this.inputClosed) this.position?.saveWhenHandled(token, this.queues.settled(), () => !this.stopped);
  }

  private enqueue(roomId: string, work: () => Promise<void>): Promise<void> {
    return this.queues.enqueue(roomId, work);
  }

  private onLiveEvent(event: MatrixEvent, room: Room): void {
    // Shutting down: not taken (the saved position stays before it; it comes again after the restart).
    if (this.inputClosed) return;
    if (this.held) this.held.push({ roomId: room.roomId, event });
    else void this.enqueue(room.roomId, () => this.onEvent(room.roomId, event));
  }

  // ---- incoming events ----

  /**
   * Decrypts (if needed) and handles one event. One whose room key has not arrived yet is
   * handled when it does (out of order then), or dropped after `decryptWaitMs`.
   */
  private async onEvent(roomId: string, event: MatrixEvent): Promise<void> {
    const client = this.client;
    if (this.stopped || !this.inbound || !client) return;
    const clear = await clearEvent(client, event);
    if (clear) {
      await this.inbound.handle(roomId, clear);
      return;
    }
    if (!event.isDecryptionFailure()) return;
    this.options.log.warn({ roomId, eventId: event.getId() }, "matrix: event not decrypted yet; waiting for its key");
    void laterDecrypted(client, event, this.options.decryptWaitMs ?? 10 * 60_000).then((late) => {
      if (!late) {
        this.options.log.warn({ roomId, eventId: event.getId() }, "matrix: event could not be decrypted");
        return;
      }
      void this.enqueue(roomId, async () => {
        if (!this.stopped) await this.inbound?.handle(roomId, late);
      });
    });
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
