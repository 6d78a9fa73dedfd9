import { randomBytes } from "node:crypto";
import {
  ClientEvent,
  EventType,
  KnownMembership,
  type MatrixClient,
  MatrixError,
  MatrixEvent,
  Method,
  Preset,
  type Room,
  Visibility,
} from "matrix-js-sdk";
import { encodeUri } from "matrix-js-sdk/lib/utils.js";
import { z } from "zod";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/log.ts";
import { mentionedMembers, type OutgoingMessage } from "../../core/message.ts";
import { type Content, editContent, messageContent, type ReplyTo, reactionContent } from "./content.ts";
import { besideNativePoll, POLL_END, POLL_START, pollEndContent, pollStartContent } from "./poll.ts";
import { matrixUserId, prefixCommands } from "./render.ts";
import { encryptorOf, fetchClearEvent } from "./encryption.ts";
import { type RetryPolicy, withRetry } from "./retry.ts";
import type { MatrixStore } from "./store.ts";

/** Where a poll start event names the message posted with it. */
const INTRO_KEY = "org.teambot.intro";

/**
 * Everything the Matrix adapter sends. Sends go straight to the client-server API through
 * the SDK's HTTP client with our own transaction id, retried on 429 and lost connections
 * with the same id (the homeserver de-duplicates), and throw when they finally fail.
 */
export class MatrixOutbound {
  private txn = 0;
  private readonly dmLocks = new Map<string, Promise<string>>();
  /** Poll start event id -> when the bot ended it (responses after that are ignored). */
  readonly endedPolls = new Map<string, number>();

  private readonly client: MatrixClient;
  private readonly store: MatrixStore;
  private readonly retry: RetryPolicy;
  private readonly log: Logger;
  private readonly stopped: () => boolean;
  readonly clock: Clock;
  /** Whether a text is a command line (to show it with `!`). */
  private readonly isCommand: ((text: string) => boolean) | undefined;

  constructor(
    client: MatrixClient,
    store: MatrixStore,
    retry: RetryPolicy,
    log: Logger,
    stopped: () => boolean,
    clock: Clock,
    isCommand?: (text: string) => boolean,
  ) {
    this.client = client;
    this.store = store;
    this.retry = retry;
    this.log = log;
    this.stopped = stopped;
    this.clock = clock;
    this.isCommand = isCommand;
  }

  /**
   * Sends one event; in an encrypted room it is encrypted first (reactions stay clear, as
   * the spec has them). Without encryption (MATRIX_ENCRYPTION=false) an encrypted room is
   * refused, as a plain message there would leak what the room keeps private, unless
   * `evenIfEncrypted` (the short notice that the bot cannot work there).
   */
  async sendEvent(roomId: string, type: string, content: Content, evenIfEncrypted = false, key?: string): Promise<string> {
    let wire = { type, content };
    if (type !== "m.reaction" && (await this.mustEncrypt(roomId))) {
      if (this.canEncrypt()) wire = await this.encrypt(roomId, type, content);
      else if (!evenIfEncrypted) throw new Error("the room is end-to-end encrypted and MATRIX_ENCRYPTION is off");
    }
    // A stable key: the homeserver keeps the transaction id and shows a repeated try once.
    const txnId = key ? `tb.${key}` : `tb${Date.now().toString(36)}.${++this.txn}.${randomBytes(3).toString("hex")}`;
    const path = encodeUri("/rooms/$roomId/send/$type/$txnId", {
      $roomId: roomId,
      $type: wire.type,
      $txnId: txnId,
    });
    const res = await withRetry(
      () => this.client.http.authedRequest<{ event_id: string }>(Method.Put, path, undefined, wire.content),
      this.retry,
      this.stopped,
      (error, delayMs, attempt) =>
        this.log.warn({ err: error, roomId, delayMs, attempt }, "matrix send failed, retrying"),
    );
    return res.event_id;
  }

  canEncrypt(): boolean {
    return encryptorOf(this.client) !== undefined;
  }

  /** Whether the room is encrypted; a room the client has not synced yet is asked about. */
  private async mustEncrypt(roomId: string): Promise<boolean> {
    if (this.isEncrypted(roomId)) return true;
    if (this.client.getRoom(roomId)) return false;
    try {
      await this.client.getStateEvent(roomId, EventType.RoomEncryption, "");
      return true;
    } catch (error) {
      if (error instanceof MatrixError && error.errcode === "M_NOT_FOUND") return false;
      throw error;
    }
  }

  /** Megolm-encrypts the event for the room's members' devices (sharing the room key as needed). */
  private async encrypt(roomId: string, type: string, content: Content): Promise<{ type: string; content: Content }> {
    const room = await this.roomSynced(roomId);
    const encryptor = encryptorOf(this.client);
    if (!encryptor) throw new Error("encryption is not running");
    const event = new MatrixEvent({
      type,
      content,
      room_id: roomId,
      sender: this.client.getSafeUserId(),
      event_id: `~${roomId}:${randomBytes(6).toString("hex")}`,
      origin_server_ts: Date.now(),
    });
    await encryptor.encryptEvent(event, room);
    return { type: event.getWireType(), content: event.getWireContent() };
  }

  /**
   * The room once the crypto knows it is encrypted (from the joined room's state in a sync;
   * an invite's stripped state is not enough, and a room just created arrives with the next sync).
   */
  private async roomSynced(roomId: string): Promise<Room> {
    const joined: string = KnownMembership.Join;
    return this.whenSynced(roomId, async (room) =>
      room.getMyMembership() === joined &&
      ((await this.client.getCrypto()?.isEncryptionEnabledInRoom(roomId)) ?? false),
    );
  }

  /** The room once `ready` holds for it, checked now and after every sync; fails after `timeoutMs`. */
  private async whenSynced(
    roomId: string,
    ready: (room: Room) => boolean | Promise<boolean>,
    timeoutMs = 15_000,
  ): Promise<Room> {
    const check = async (): Promise<Room | undefined> => {
      const room = this.client.getRoom(roomId);
      return room && (await ready(room)) ? room : undefined;
    };
    const now = await check();
    if (now) return now;
    return new Promise((resolve, reject) => {
      const onSync = (): void => {
        void check().then((room) => {
          if (!room) return;
          finish();
          resolve(room);
        });
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.client.off(ClientEvent.Sync, onSync);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`room ${roomId} not synced yet`));
      }, timeoutMs);
      this.client.on(ClientEvent.Sync, onSync);
    });
  }

  /**
   * Sends a message (and its native poll) to a room; returns the id others refer to (the
   * poll's). `notice`: an answer to a command (`m.notice`, which notifies nobody), unless it
   * mentions someone on purpose.
   */
  async sendMessage(
    roomId: string,
    message: OutgoingMessage,
    replyTo?: ReplyTo,
    notice = false,
    key?: string,
  ): Promise<string> {
    const part = (name: string) => (key ? `${key}.${name}` : undefined);
    let last: string | undefined;
    const poll = message.poll && !message.poll.ended ? message.poll : undefined;
    const shown = this.shown(message);
    const text = poll ? besideNativePoll(shown) : shown;
    if (!poll || text.blocks.length > 0 || text.actions.length > 0) {
      const msgtype = notice && mentionedMembers(text).length === 0 ? "m.notice" : "m.text";
      last = await this.sendEvent(roomId, "m.room.message", messageContent(text, this.clock.now(), replyTo, msgtype), false, part("m"));
    }
    for (const attachment of message.attachments) {
      await this.sendAttachment(roomId, attachment).catch((error: unknown) =>
        this.log.warn({ err: error, roomId }, "matrix attachment not sent"),
      );
    }
    if (poll) {
      // The poll remembers the message before it, so that closing can turn that into the results.
      const start = pollStartContent(message, poll);
      if (last) start[INTRO_KEY] = last;
      last = await this.sendEvent(roomId, POLL_START, start, false, part("p"));
    }
    if (!last) throw new Error("nothing to send");
    return last;
  }

  /** The message as Matrix members read it: command lines with the `!` they type. */
  private shown(message: OutgoingMessage): OutgoingMessage {
    return this.isCommand ? prefixCommands(message, this.isCommand) : message;
  }

  private async sendAttachment(
    roomId: string,
    attachment: OutgoingMessage["attachments"][number],
  ): Promise<void> {
    const data = Buffer.from(attachment.content, "utf8");
    const upload = await withRetry(
      () => this.client.uploadContent(data, { name: attachment.filename, type: attachment.contentType }),
      this.retry,
      this.stopped,
    );
    await this.sendEvent(roomId, "m.room.message", {
      msgtype: "m.file",
      body: attachment.filename,
      filename: attachment.filename,
      url: upload.content_uri,
      info: { mimetype: attachment.contentType, size: data.length },
      "m.mentions": {},
    });
  }

  /** Edits a message in place; a poll with `ended` gets its MSC3381 end event (and the results). */
  async edit(roomId: string, eventId: string, message: OutgoingMessage): Promise<void> {
    const poll = message.poll;
    if (!poll) {
      await this.sendEvent(roomId, "m.room.message", editContent(this.shown(message), eventId, this.clock.now()));
      return;
    }
    // An open native poll shows its votes itself; only its end is sent.
    if (!poll.ended || this.endedPolls.has(eventId)) return;
    await this.sendEvent(roomId, POLL_END, pollEndContent(message, poll, eventId));
    this.endedPolls.set(eventId, Date.now());
    if (message.blocks.length === 0) return;
    const final = { ...this.shown(message), poll: undefined };
    const intro = await this.introOf(roomId, eventId);
    if (intro) await this.sendEvent(roomId, "m.room.message", editContent(final, intro, this.clock.now()));
    else await this.sendEvent(roomId, "m.room.message", messageContent(final, this.clock.now(), { eventId }));
  }

  /** The bot's message posted with a poll (its text and choices), from the poll start event. */
  private async introOf(roomId: string, startEventId: string): Promise<string | undefined> {
    const event = await fetchClearEvent(this.client, roomId, startEventId);
    const parsed = z.object({ [INTRO_KEY]: z.string().min(1) }).safeParse(event?.content);
    return event?.sender === this.client.getUserId() && parsed.success ? parsed.data[INTRO_KEY] : undefined;
  }

  isEncrypted(roomId: string): boolean {
    return this.client.getRoom(roomId)?.hasEncryptionStateEvent() ?? false;
  }

  /** Reacts once; a reaction the bot already made (400 M_DUPLICATE_ANNOTATION) counts as done. */
  async react(roomId: string, eventId: string, key: string): Promise<void> {
    try {
      await this.sendEvent(roomId, "m.reaction", reactionContent(eventId, key));
    } catch (error) {
      if (error instanceof MatrixError && error.errcode === "M_DUPLICATE_ANNOTATION") return;
      throw error;
    }
  }

  /** The direct-message room with a member: remembered in the database, created once (is_direct). */
  directRoom(member: string): Promise<string> {
    const running = this.dmLocks.get(member);
    if (running) return running;
    const work = this.findOrCreateDirectRoom(member).finally(() => this.dmLocks.delete(member));
    this.dmLocks.set(member, work);
    return work;
  }

  private async findOrCreateDirectRoom(member: string): Promise<string> {
    const userId = matrixUserId(member);
    if (!userId) throw new Error(`not a Matrix member: ${member}`);
    const known = await this.store.directRoom(member);
    if (known && this.stillShared(known, userId)) return known;
    const created = await withRetry(
      () =>
        this.client.createRoom({
          is_direct: true,
          invite: [userId],
          preset: Preset.TrustedPrivateChat,
          visibility: Visibility.Private,
          // Direct messages are encrypted, as Element makes them, when the bot can encrypt.
          ...(this.canEncrypt()
            ? {
                initial_state: [
                  { type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
                ],
              }
            : {}),
        }),
      this.retry,
      this.stopped,
    );
    await this.store.saveDirectRoom(member, created.room_id);
    if (this.canEncrypt()) {
      // The homeserver sends the invite after creating the room: until the client has seen
      // it, the room key would be shared with the bot's own devices only.
      await this.whenSynced(created.room_id, (room) => room.getMember(userId) !== null);
    }
    // The SDK waits for the account data to come back through sync: do not hold the message up.
    void this.markDirect(userId, created.room_id);
    return created.room_id;
  }

  /** A remembered room still works unless the bot or the member has left it. */
  private stillShared(roomId: string, userId: string): boolean {
    const room = this.client.getRoom(roomId);
    if (!room) return true;
    const mine = room.getMyMembership();
    const theirs = room.getMember(userId)?.membership;
    const gone = (m: string | undefined) => m === KnownMembership.Leave || m === KnownMembership.Ban;
    return !gone(mine) && !gone(theirs);
  }

  /** Lists the room under the member in the bot's `m.direct` account data, as clients do (best effort). */
  async markDirect(userId: string, roomId: string): Promise<void> {
    try {
      const current =
        this.client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
      const rooms = Array.isArray(current[userId]) ? current[userId] : [];
      if (rooms.includes(roomId)) return;
      await this.client.setAccountData(EventType.Direct, { ...current, [userId]: [...rooms, roomId] });
    } catch (error) {
      this.log.debug({ err: error }, "m.direct not updated");
    }
  }
}
