import { KnownMembership, type MatrixClient, SyncState } from "matrix-js-sdk";
import type { Logger } from "../../core/log.ts";

/**
 * Turns the SDK's sync states into two log lines per outage. A real outage goes
 * Syncing -> Reconnecting (a sync failed) -> Error (the keep-alive failed too) ->
 * Catchup (the homeserver answers again) -> Syncing; a blip goes Reconnecting -> Syncing
 * and is not worth a warning.
 */
export class OutageLog {
  private since: number | undefined;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(log: Logger, now: () => number = Date.now) {
    this.log = log;
    this.now = now;
  }

  /** The homeserver is unreachable right now (as far as the last sync state says). */
  get down(): boolean {
    return this.since !== undefined;
  }

  onState(state: SyncState): void {
    if (state === SyncState.Error && this.since === undefined) {
      this.since = this.now();
      this.log.warn("matrix: homeserver unreachable, retrying");
    } else if ((state === SyncState.Syncing || state === SyncState.Prepared) && this.since !== undefined) {
      const downForMs = this.now() - this.since;
      this.since = undefined;
      this.log.info({ downForMs }, "matrix: homeserver reachable again");
    }
  }
}

export interface RoomCheck {
  roomId: string;
  name: string;
  encrypted: boolean;
  /** The bot can read the room: not encrypted, or encrypted and its latest message decrypted. */
  readable: boolean;
  why?: string;
}

/**
 * What a `matrix doctor` would say per joined room: encrypted or not, and whether the
 * bot can read it (its latest encrypted event decrypted). Logged at start.
 */
export async function checkRooms(client: MatrixClient, encryption: boolean): Promise<RoomCheck[]> {
  const checks: RoomCheck[] = [];
  const joined: string = KnownMembership.Join;
  for (const room of client.getRooms()) {
    if (room.getMyMembership() !== joined) continue;
    const encrypted = room.hasEncryptionStateEvent();
    const latest = room
      .getLiveTimeline()
      .getEvents()
      .filter((e) => e.isEncrypted())
      .at(-1);
    if (latest) await client.decryptEventIfNeeded(latest).catch(() => undefined);
    let why: string | undefined;
    if (encrypted && !encryption) why = "encrypted, and MATRIX_ENCRYPTION is off";
    else if (latest?.isDecryptionFailure()) why = "the latest encrypted message could not be decrypted (keys missing)";
    checks.push({ roomId: room.roomId, name: room.name, encrypted, readable: why === undefined, ...(why ? { why } : {}) });
  }
  return checks;
}

export function logRoomChecks(log: Logger, checks: RoomCheck[]): void {
  for (const check of checks) {
    const line = check.readable ? "matrix: room readable" : "matrix: room NOT readable";
    if (check.readable) log.info(check, line);
    else log.warn(check, line);
  }
  const unreadable = checks.filter((c) => !c.readable).length;
  log.info(
    { rooms: checks.length, encrypted: checks.filter((c) => c.encrypted).length, unreadable },
    "matrix: room check done",
  );
}
