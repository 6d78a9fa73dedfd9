import { randomBytes } from "node:crypto";
import { EventType, KnownMembership, type MatrixClient, Method, Preset, Visibility } from "matrix-js-sdk";
import { encodeUri } from "matrix-js-sdk/lib/utils.js";
import { z } from "zod";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/log.ts";
import { actionsBesideNativePoll, type OutgoingMessage } from "../../core/message.ts";
import { type Content, editContent, messageContent, type ReplyTo, reactionContent } from "./content.ts";
import { POLL_END, POLL_START, pollEndContent, pollStartContent } from "./poll.ts";
import { matrixUserId } from "./render.ts";
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

  constructor(
    client: MatrixClient,
    store: MatrixStore,
    retry: RetryPolicy,
    log: Logger,
    stopped: () => boolean,
    clock: Clock,
  ) {
    this.client = client;
    this.store = store;
    this.retry = retry;
    this.log = log;
    this.stopped = stopped;
    this.clock = clock;
  }

  /**
   * Sends one event. Rooms with end-to-end encryption are refused (the bot has no keys
   * yet, and a plain message there would leak what the room means to keep private),
   * unless `evenIfEncrypted` (the short notice that the bot cannot work there).
   */
  async sendEvent(roomId: string, type: string, content: Content, evenIfEncrypted = false): Promise<string> {
    if (!evenIfEncrypted && this.isEncrypted(roomId)) {
      throw new Error("the room is end-to-end encrypted, which the Matrix adapter does not support yet");
    }
    const txnId = `tb${Date.now().toString(36)}.${++this.txn}.${randomBytes(3).toString("hex")}`;
    const path = encodeUri("/rooms/$roomId/send/$type/$txnId", {
      $roomId: roomId,
      $type: type,
      $txnId: txnId,
    });
    const res = await withRetry(
      () => this.client.http.authedRequest<{ event_id: string }>(Method.Put, path, undefined, content),
      this.retry,
      this.stopped,
      (error, delayMs, attempt) =>
        this.log.warn({ err: error, roomId, delayMs, attempt }, "matrix send failed, retrying"),
    );
    return res.event_id;
  }

  /** Sends a message (and its native poll) to a room; returns the id others refer to (the poll's). */
  async sendMessage(roomId: string, message: OutgoingMessage, replyTo?: ReplyTo): Promise<string> {
    let last: string | undefined;
    const poll = message.poll && !message.poll.ended ? message.poll : undefined;
    // Beside a native poll, members vote in the poll itself, not by numbered choices.
    const text = poll ? { ...message, actions: actionsBesideNativePoll(message) } : message;
    if (!poll || text.blocks.length > 0 || text.actions.length > 0) {
      last = await this.sendEvent(roomId, "m.room.message", messageContent(text, this.clock.now(), replyTo));
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
      last = await this.sendEvent(roomId, POLL_START, start);
    }
    if (!last) throw new Error("nothing to send");
    return last;
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
      await this.sendEvent(roomId, "m.room.message", editContent(message, eventId, this.clock.now()));
      return;
    }
    // An open native poll shows its votes itself; only its end is sent.
    if (!poll.ended || this.endedPolls.has(eventId)) return;
    await this.sendEvent(roomId, POLL_END, pollEndContent(message, poll, eventId));
    this.endedPolls.set(eventId, Date.now());
    if (message.blocks.length === 0) return;
    const final = { ...message, poll: undefined };
    const intro = await this.introOf(roomId, eventId);
    if (intro) await this.sendEvent(roomId, "m.room.message", editContent(final, intro, this.clock.now()));
    else await this.sendEvent(roomId, "m.room.message", messageContent(final, this.clock.now(), { eventId }));
  }

  /** The bot's message posted with a poll (its text and choices), from the poll start event. */
  private async introOf(roomId: string, startEventId: string): Promise<string | undefined> {
    const me = this.client.getUserId();
    let sender: string | undefined;
    let content: unknown;
    const known = this.client.getRoom(roomId)?.findEventById(startEventId);
    if (known) {
      sender = known.getSender();
      content = known.getContent();
    } else {
      const fetched = await this.client.fetchRoomEvent(roomId, startEventId).catch(() => undefined);
      sender = fetched?.sender;
      content = fetched?.content;
    }
    const parsed = z.object({ [INTRO_KEY]: z.string().min(1) }).safeParse(content);
    return sender === me && parsed.success ? parsed.data[INTRO_KEY] : undefined;
  }

  isEncrypted(roomId: string): boolean {
    return this.client.getRoom(roomId)?.hasEncryptionStateEvent() ?? false;
  }

  async react(roomId: string, eventId: string, key: string): Promise<void> {
    await this.sendEvent(roomId, "m.reaction", reactionContent(eventId, key));
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
        }),
      this.retry,
      this.stopped,
    );
    await this.store.saveDirectRoom(member, created.room_id);
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
  private async markDirect(userId: string, roomId: string): Promise<void> {
    try {
      const current =
        this.client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
      const rooms = Array.isArray(current[userId]) ? current[userId] : [];
      await this.client.setAccountData(EventType.Direct, { ...current, [userId]: [...rooms, roomId] });
    } catch (error) {
      this.log.debug({ err: error }, "m.direct not updated");
    }
  }
}
