/** The fake homeserver's rooms and how /sync shows them to the bot. */

export interface FakeEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  unsigned?: Record<string, unknown>;
  /** Set on copies of encrypted events shown with their clear type and content (`sentByBot`). */
  encrypted?: true;
}

export interface StreamEntry {
  pos: number;
  event: FakeEvent;
}

export interface FakeRoom {
  id: string;
  timeline: StreamEntry[];
  state: Map<string, FakeEvent>;
}

/**
 * The `rooms` part of a /sync answer for `me`: all joined rooms with state and the last
 * `initialLimit` events on the first sync; afterwards what happened since position `from`
 * (rooms joined since then come with their state), new invites with stripped state, leaves.
 */
export function roomsSince(
  rooms: Iterable<FakeRoom>,
  me: string,
  from: number | undefined,
  initialLimit: number,
): Record<string, Record<string, unknown>> {
  const join: Record<string, unknown> = {};
  const invite: Record<string, unknown> = {};
  const leave: Record<string, unknown> = {};
  for (const room of rooms) {
    const myEntries = room.timeline.filter(
      (e) => e.event.type === "m.room.member" && e.event.state_key === me,
    );
    const mine = myEntries.at(-1);
    if (!mine) continue;
    const membership = mine.event.content.membership;
    if (from !== undefined && !room.timeline.some((e) => e.pos > from)) continue;
    if (membership === "invite") {
      if (from !== undefined && mine.pos <= from) continue;
      const stripped = [...room.state.values()]
        .filter((e) =>
          ["m.room.create", "m.room.name", "m.room.encryption", "m.room.member"].includes(e.type),
        )
        .filter((e) => e.type !== "m.room.member" || e.state_key === me || e.sender === e.state_key)
        .map((e) => ({ type: e.type, state_key: e.state_key, sender: e.sender, content: e.content }));
      invite[room.id] = { invite_state: { events: stripped } };
    } else if (membership === "join") {
      const firstJoin = myEntries.find((e) => e.event.content.membership === "join");
      const newlyJoined = from === undefined || (firstJoin !== undefined && firstJoin.pos > from);
      let timeline: StreamEntry[];
      let limited = false;
      if (from === undefined) {
        timeline = room.timeline.slice(-initialLimit);
        limited = room.timeline.length > timeline.length;
      } else if (newlyJoined && firstJoin) {
        timeline = room.timeline.filter((e) => e.pos >= firstJoin.pos);
      } else {
        timeline = room.timeline.filter((e) => e.pos > from);
      }
      const inTimeline = new Set(timeline.map((e) => e.event.event_id));
      const first = timeline[0]?.pos ?? Number.POSITIVE_INFINITY;
      const state = newlyJoined ? stateBefore(room, first).filter((e) => !inTimeline.has(e.event_id)) : [];
      join[room.id] = {
        state: { events: state },
        timeline: { events: timeline.map((e) => e.event), limited, prev_batch: `p${first}` },
        ephemeral: { events: [] },
        account_data: { events: [] },
        unread_notifications: { notification_count: 0, highlight_count: 0 },
        summary: {},
      };
    } else if (from !== undefined && mine.pos > from) {
      leave[room.id] = { timeline: { events: [mine.event] }, state: { events: [] } };
    }
  }
  return { join, invite, leave };
}

function stateBefore(room: FakeRoom, pos: number): FakeEvent[] {
  const state = new Map<string, FakeEvent>();
  for (const e of room.timeline) {
    if (e.pos >= pos) break;
    if (e.event.state_key !== undefined) state.set(`${e.event.type}|${e.event.state_key}`, e.event);
  }
  return [...state.values()];
}

/** As Synapse: one annotation per sender, event and key (a second is 400 M_DUPLICATE_ANNOTATION). */
export function isDuplicateAnnotation(events: FakeEvent[], sender: string, body: Record<string, unknown>): boolean {
  const relates = body["m.relates_to"] as { event_id?: string; key?: string } | undefined;
  return events.some((e) => {
    const r = e.content["m.relates_to"] as { rel_type?: string; event_id?: string; key?: string } | undefined;
    return (
      e.type === "m.reaction" &&
      e.sender === sender &&
      r?.rel_type === "m.annotation" &&
      r.event_id === relates?.event_id &&
      r.key === relates?.key
    );
  });
}

/** Room history after a sync token (`from=sN`, `dir=f`), filtered by type, as /messages pages it. */
export function messagesPage(timeline: StreamEntry[], url: URL): Record<string, unknown> {
  const from = Number((url.searchParams.get("from") ?? "s0").replace(/^[sp]/, "")) || 0;
  const limit = Math.min(Number(url.searchParams.get("limit") ?? "10") || 10, 100);
  let types: string[] | undefined;
  try {
    types = (JSON.parse(url.searchParams.get("filter") ?? "{}") as { types?: string[] }).types;
  } catch {
    types = undefined;
  }
  const page = timeline.filter((e) => e.pos > from).slice(0, limit);
  const last = page.at(-1);
  return {
    chunk: page.map((e) => e.event).filter((e) => !types || types.includes(e.type)),
    start: `s${from}`,
    ...(last ? { end: `s${last.pos}` } : {}),
  };
}
