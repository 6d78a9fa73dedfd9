import { type MatrixClient, Method } from "matrix-js-sdk";
import { z } from "zod";
import type { Logger } from "../../core/log.ts";
import { type RawEvent, rawEventSchema } from "./incoming.ts";
import { pollEndTypes, pollResponseTypes } from "./poll.ts";

const syncSchema = z.object({
  next_batch: z.string(),
  rooms: z
    .object({
      join: z
        .record(
          z.string(),
          z.object({ timeline: z.object({ events: z.array(z.unknown()).default([]) }).optional() }),
        )
        .optional(),
    })
    .optional(),
});

/** The event types a catch-up fetches: what can carry a command, a choice or a vote. */
const types = ["m.room.message", "m.reaction", ...pollResponseTypes, ...pollEndTypes];

const filter = JSON.stringify({
  presence: { types: [] },
  account_data: { types: [] },
  room: {
    timeline: { limit: 50, types },
    state: { types: [] },
    ephemeral: { types: [] },
    account_data: { types: [] },
  },
});

/**
 * Fetches what happened in joined rooms since the saved sync position (while the bot was
 * down), oldest first per room, without events older than `notBefore`. The caller claims
 * each event before handling it, so an event seen here and live is still handled once.
 */
export async function catchUp(
  client: MatrixClient,
  since: string,
  notBefore: number,
  log: Logger,
  maxRounds = 10,
): Promise<{ roomId: string; event: RawEvent }[]> {
  const found: { roomId: string; event: RawEvent }[] = [];
  let from = since;
  for (let round = 0; round < maxRounds; round++) {
    const raw = await client.http.authedRequest<unknown>(Method.Get, "/sync", {
      since: from,
      timeout: "0",
      filter,
      set_presence: "offline",
    });
    const parsed = syncSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn("matrix: unexpected sync answer while catching up");
      break;
    }
    let count = 0;
    for (const [roomId, room] of Object.entries(parsed.data.rooms?.join ?? {})) {
      for (const item of room.timeline?.events ?? []) {
        const event = rawEventSchema.safeParse(item);
        if (!event.success || !types.includes(event.data.type)) continue;
        count++;
        if (event.data.origin_server_ts >= notBefore) found.push({ roomId, event: event.data });
      }
    }
    if (count === 0 || parsed.data.next_batch === from) break;
    from = parsed.data.next_batch;
  }
  if (found.length > 0)
    log.info({ events: found.length }, "matrix: catching up on events from while offline");
  return found;
}
