import { KnownMembership, type MatrixClient, Method } from "matrix-js-sdk";
import { encodeUri } from "matrix-js-sdk/lib/utils.js";
import { z } from "zod";
import type { Logger } from "../../core/log.ts";
import { type RawEvent, rawEventSchema } from "./incoming.ts";
import { pollEndTypes, pollResponseTypes } from "./poll.ts";

const messagesSchema = z.object({
  chunk: z.array(z.unknown()).default([]),
  end: z.string().optional(),
});

/** The event types a catch-up fetches: what can carry a command, a choice or a vote (encrypted too). */
const types = ["m.room.message", "m.reaction", "m.room.encrypted", ...pollResponseTypes, ...pollEndTypes];
const filter = JSON.stringify({ types, lazy_load_members: true });

/**
 * Fetches what happened in joined rooms since the saved sync position (while the bot was
 * down), oldest first per room, without events older than `notBefore` or than the bot's
 * join. Room history (`/messages` from the sync token) is read, not `/sync`: a second
 * /sync would acknowledge to-device messages (room keys) the crypto has not seen. The
 * caller claims each event before handling it, so an event seen here and live is handled once.
 */
export async function catchUp(
  client: MatrixClient,
  since: string,
  notBefore: number,
  log: Logger,
  maxPages = 10,
): Promise<{ roomId: string; event: RawEvent }[]> {
  const found: { roomId: string; event: RawEvent }[] = [];
  const me = client.getSafeUserId();
  const joined: string = KnownMembership.Join;
  for (const room of client.getRooms()) {
    if (room.getMyMembership() !== joined) continue;
    const joinedAt = room.getMember(me)?.events.member?.getTs() ?? 0;
    const path = encodeUri("/rooms/$roomId/messages", { $roomId: room.roomId });
    let from = since;
    for (let page = 0; page < maxPages; page++) {
      const raw = await client.http.authedRequest<unknown>(Method.Get, path, {
        from,
        dir: "f",
        limit: "50",
        filter,
      });
      const parsed = messagesSchema.safeParse(raw);
      if (!parsed.success) {
        log.warn({ roomId: room.roomId }, "matrix: unexpected /messages answer while catching up");
        break;
      }
      for (const item of parsed.data.chunk) {
        const event = rawEventSchema.safeParse(item);
        if (!event.success || !types.includes(event.data.type)) continue;
        if (event.data.origin_server_ts >= Math.max(notBefore, joinedAt)) {
          found.push({ roomId: room.roomId, event: event.data });
        }
      }
      const end = parsed.data.end;
      if (parsed.data.chunk.length === 0 || !end || end === from) break;
      from = end;
    }
  }
  if (found.length > 0)
    log.info({ events: found.length }, "matrix: catching up on events from while offline");
  return found;
}
