import { type MatrixClient, MatrixEvent, MatrixEventEvent, type Room } from "matrix-js-sdk";
import { type RawEvent, rawEventSchema } from "./incoming.ts";

/** The part of the SDK's crypto backend that encrypts a room event (not in its public CryptoApi type). */
interface EventEncryptor {
  encryptEvent(event: MatrixEvent, room: Room): Promise<void>;
}

function isEventEncryptor(value: unknown): value is EventEncryptor {
  return (
    typeof value === "object" &&
    value !== null &&
    "encryptEvent" in value &&
    typeof value.encryptEvent === "function"
  );
}

/** The running Rust crypto as an encryptor, or undefined without encryption. */
export function encryptorOf(client: MatrixClient): EventEncryptor | undefined {
  const crypto = client.getCrypto();
  return isEventEncryptor(crypto) ? crypto : undefined;
}

/**
 * The event as the adapter reads it: decrypted if it was encrypted (type and content of
 * the clear event), undefined while it cannot be decrypted.
 */
export async function clearEvent(client: MatrixClient, event: MatrixEvent): Promise<RawEvent | undefined> {
  if (event.isEncrypted() || event.getType() === "m.room.encrypted") {
    await client.decryptEventIfNeeded(event);
    if (event.isDecryptionFailure() || event.getType() === "m.room.encrypted") return undefined;
  }
  const parsed = rawEventSchema.safeParse(event.getEffectiveEvent());
  return parsed.success ? parsed.data : undefined;
}

/**
 * Waits for an event that could not be decrypted yet (its room key may still arrive, from
 * the sender or the key backup); resolves undefined after `timeoutMs`.
 */
export function laterDecrypted(client: MatrixClient, event: MatrixEvent, timeoutMs: number): Promise<RawEvent | undefined> {
  return new Promise((resolve) => {
    const onDecrypted = (): void => {
      if (event.isDecryptionFailure()) return;
      clearTimeout(timer);
      event.off(MatrixEventEvent.Decrypted, onDecrypted);
      void clearEvent(client, event).then(resolve, () => resolve(undefined));
    };
    const timer = setTimeout(() => {
      event.off(MatrixEventEvent.Decrypted, onDecrypted);
      resolve(undefined);
    }, timeoutMs);
    timer.unref();
    event.on(MatrixEventEvent.Decrypted, onDecrypted);
  });
}

/** One event of a room, decrypted: from the client's timeline when it has it, else from the homeserver. */
export async function fetchClearEvent(
  client: MatrixClient,
  roomId: string,
  eventId: string,
): Promise<RawEvent | undefined> {
  const known = client.getRoom(roomId)?.findEventById(eventId);
  if (known) return clearEvent(client, known);
  try {
    const raw = await client.fetchRoomEvent(roomId, eventId);
    return await clearEvent(client, new MatrixEvent({ ...raw, room_id: roomId }));
  } catch {
    return undefined;
  }
}
