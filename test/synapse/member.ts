import {
  ClientEvent,
  createClient,
  EventType,
  KnownMembership,
  type MatrixClient,
  type MatrixEvent,
  MsgType,
  Preset,
  RoomEvent,
  SyncState,
  Visibility,
  M_POLL_RESPONSE,
  RelationType,
} from "matrix-js-sdk";
import type { Logger } from "matrix-js-sdk/lib/logger.js";

const drop = (): void => undefined;
/** The members' SDK logs would drown the test output. */
const quiet: Logger = { trace: drop, debug: drop, info: drop, warn: drop, error: drop, getChild: () => quiet };

/**
 * A team member's client: matrix-js-sdk with Rust crypto (keys in memory), as Element
 * would talk to the homeserver. Joins rooms it is invited to (the bot's direct rooms).
 */
export class Member {
  readonly client: MatrixClient;
  readonly userId: string;

  private constructor(client: MatrixClient, userId: string) {
    this.client = client;
    this.userId = userId;
  }

  static async login(baseUrl: string, userId: string, password: string): Promise<Member> {
    const anonymous = createClient({ baseUrl, logger: quiet });
    const login = await anonymous.loginRequest({
      type: "m.login.password",
      identifier: { type: "m.id.user", user: userId },
      password,
    });
    const client = createClient({
      baseUrl,
      accessToken: login.access_token,
      userId: login.user_id,
      deviceId: login.device_id,
      logger: quiet,
    });
    await client.initRustCrypto({ useIndexedDB: false });
    const member = new Member(client, login.user_id);
    client.on(RoomEvent.MyMembership, (room, membership) => {
      if (membership === KnownMembership.Invite) void client.joinRoom(room.roomId).catch(() => undefined);
    });
    const prepared = new Promise<void>((resolve) => {
      const onSync = (state: SyncState) => {
        if (state !== SyncState.Prepared) return;
        client.off(ClientEvent.Sync, onSync);
        resolve();
      };
      client.on(ClientEvent.Sync, onSync);
    });
    await client.startClient({ initialSyncLimit: 20, lazyLoadMembers: false, threadSupport: false });
    await prepared;
    return member;
  }

  /** An encrypted room (as Element creates them) with these members invited. */
  async createEncryptedRoom(name: string, invite: string[]): Promise<string> {
    const { room_id: roomId } = await this.client.createRoom({
      name,
      invite,
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      initial_state: [{ type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    await this.waitFor(() => this.client.getRoom(roomId)?.hasEncryptionStateEvent() || undefined, "room synced");
    return roomId;
  }

  async say(roomId: string, body: string): Promise<string> {
    const { event_id: eventId } = await this.client.sendMessage(roomId, { msgtype: MsgType.Text, body });
    return eventId;
  }

  /** Votes in a poll as Element does (MSC3381, unstable names; encrypted in an encrypted room). */
  async vote(roomId: string, pollStart: string, answers: string[]): Promise<string> {
    // The SDK's typed event map has no poll responses: the generic send takes them all the same.
    const send = (room: string, type: string, content: Record<string, unknown>) =>
      this.client.sendEvent(room, type as never, content as never);
    const { event_id: eventId } = await send(roomId, M_POLL_RESPONSE.name, {
      "m.relates_to": { rel_type: RelationType.Reference, event_id: pollStart },
      [M_POLL_RESPONSE.name]: { answers },
    });
    return eventId;
  }

  /** The bot's events in a room as this member's client shows them (decrypted). */
  eventsFrom(sender: string, roomId: string): MatrixEvent[] {
    return (
      this.client
        .getRoom(roomId)
        ?.getLiveTimeline()
        .getEvents()
        .filter((e) => e.getSender() === sender && !e.isState()) ?? []
    );
  }

  /** Rooms this member shares with `other` that were created as direct rooms. */
  directRoomsWith(other: string): string[] {
    return this.client
      .getRooms()
      .filter((r) => r.getMember(other) !== null && r.getCreator() === other)
      .map((r) => r.roomId);
  }

  async waitFor<T>(find: () => T | undefined | Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${this.userId}: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  stop(): void {
    this.client.stopClient();
  }
}
