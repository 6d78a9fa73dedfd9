import { type Answer, fail, invalidForm, isRecord, noContent, ok } from "./fake-http.ts";
import { checkMessage, type Pings } from "./fake-messages.ts";

/**
 * Discord's interaction rules: one initial response within 3 seconds (else the token is
 * dead: 10062 Unknown interaction), never a second one (40060), the token valid for 15
 * minutes for follow-ups and edits (then 10015 Unknown Webhook), response types that fit the
 * interaction, and the visibility Discord really gives: a follow-up sent while a deferred
 * answer is still loading replaces that answer and keeps its (ephemeral or public) state.
 */
export const interactionType = { command: 2, component: 3, autocomplete: 4 } as const;
const ackDeadlineMs = 3000;
const tokenLifetimeMs = 15 * 60_000;
const ephemeralFlag = 1 << 6;

/** A message an interaction produced, as the people in the channel (or the invoker alone) see it. */
export interface InteractionMessage {
  kind: "original" | "followup";
  id: string;
  ephemeral: boolean;
  content: string;
  body: Record<string, unknown>;
  deleted: boolean;
}

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  createdAt: number;
  channelId: string;
  /** The initial response: its callback type, once given. */
  ack?: number;
  ackAt?: number;
  /** The original response: loading (deferred), shown, or deleted. */
  original: "none" | "loading" | "shown" | "deleted" | "component-message";
  originalEphemeral: boolean;
  messages: InteractionMessage[];
}

export interface Effects {
  answer: Answer;
  /** Mentions a shown message notifies. */
  pings?: Pings;
}

export class Interactions {
  readonly byToken = new Map<string, InteractionState>();

  private readonly newId: () => string;

  constructor(newId: () => string) {
    this.newId = newId;
  }

  open(id: string, token: string, type: number, channelId: string, now: number): void {
    this.byToken.set(token, {
      id,
      token,
      type,
      createdAt: now,
      channelId,
      original: "none",
      originalEphemeral: false,
      messages: [],
    });
  }

  private show(state: InteractionState, kind: "original" | "followup", body: Record<string, unknown>, ephemeral: boolean): InteractionMessage {
    const message: InteractionMessage = {
      kind,
      id: this.newId(),
      ephemeral,
      content: typeof body.content === "string" ? body.content : "",
      body,
      deleted: false,
    };
    state.messages.push(message);
    return message;
  }

  private originalMessage(state: InteractionState): InteractionMessage | undefined {
    return state.messages.find((m) => m.kind === "original" && !m.deleted);
  }

  callback(id: string, token: string, body: unknown, files: string[], now: number): Effects {
    const state = this.byToken.get(token);
    if (!state || state.id !== id) return { answer: fail(404, 10062, "Unknown interaction") };
    if (now - state.createdAt > ackDeadlineMs) return { answer: fail(404, 10062, "Unknown interaction") };
    if (state.ack !== undefined) return { answer: fail(400, 40060, "Interaction has already been acknowledged.") };
    if (!isRecord(body) || typeof body.type !== "number") return { answer: invalidForm([{ path: "type", message: "Required." }]) };
    const type = body.type;
    const data = isRecord(body.data) ? body.data : {};
    const fits: Record<number, number[]> = { 4: [2, 3], 5: [2, 3], 6: [3], 7: [3], 8: [4] };
    if (!fits[type]?.includes(state.type)) {
      return { answer: invalidForm([{ path: "type", message: "Interaction callback type invalid for this interaction." }]) };
    }
    if (type === 8) {
      const choices = Array.isArray(data.choices) ? data.choices : [];
      const bad = choices.length > 25 || choices.some((c: unknown) => !isRecord(c) || typeof c.name !== "string" || c.name.length < 1 || c.name.length > 100 || String(c.value).length > 100);
      if (bad) return { answer: invalidForm([{ path: "data.choices", message: "At most 25 choices of 1-100 characters." }]) };
    } else if (type === 5) {
      const flags = typeof data.flags === "number" ? data.flags : 0;
      if ((flags & ~ephemeralFlag) !== 0) return { answer: invalidForm([{ path: "data.flags", message: "A deferred response may only set EPHEMERAL." }]) };
      state.original = "loading";
      state.originalEphemeral = (flags & ephemeralFlag) !== 0;
    } else if (type === 4 || type === 7) {
      const checked = checkMessage(data, type === 4 ? "response" : "edit", files);
      if (checked.problems.length > 0) return { answer: invalidForm(checked.problems) };
      if (checked.empty) return { answer: fail(400, 50006, "Cannot send an empty message") };
      if (type === 4) {
        state.original = "shown";
        state.originalEphemeral = checked.ephemeral;
        this.show(state, "original", data, checked.ephemeral);
      } else state.original = "component-message";
      state.ack = type;
      state.ackAt = now;
      return { answer: noContent(), pings: checked.pings };
    } else if (type === 6) state.original = "component-message";
    state.ack = type;
    state.ackAt = now;
    return { answer: noContent() };
  }

  /** Follow-ups and edits of the original answer: `which` is "" (follow-up) or "@original". */
  webhook(method: string, token: string, which: string, body: unknown, files: string[], now: number, channelMessage: (body: unknown) => Record<string, unknown>): Effects {
    const state = this.byToken.get(token);
    if (!state || state.ack === undefined || now - state.createdAt > tokenLifetimeMs) {
      return { answer: fail(404, 10015, "Unknown Webhook") };
    }
    if (which === "@original") {
      if (state.original === "none" || state.original === "deleted") return { answer: fail(404, 10008, "Unknown Message") };
      if (method === "DELETE") {
        const original = this.originalMessage(state);
        if (original) original.deleted = true;
        state.original = state.original === "component-message" ? "component-message" : "deleted";
        return { answer: noContent() };
      }
      if (method === "GET") return { answer: ok(channelMessage(this.originalMessage(state)?.body ?? {})) };
      if (method !== "PATCH") return { answer: fail(405, 0, "405: Method Not Allowed") };
      const checked = checkMessage(body, "edit", files);
      if (state.original === "loading" && isRecord(body) && body.poll !== undefined) {
        // A deferred answer may become a poll; other edits may not add one.
        checked.problems = checked.problems.filter((p) => p.path !== "poll");
      }
      if (checked.problems.length > 0) return { answer: invalidForm(checked.problems) };
      const data = isRecord(body) ? body : {};
      if (state.original === "loading") {
        state.original = "shown";
        this.show(state, "original", data, state.originalEphemeral);
      } else {
        const original = this.originalMessage(state);
        if (original) Object.assign(original, { body: { ...original.body, ...data }, content: typeof data.content === "string" ? data.content : original.content });
      }
      // An ephemeral answer notifies nobody.
      return { answer: ok(channelMessage(data)), ...(state.originalEphemeral ? {} : { pings: checked.pings }) };
    }
    if (which !== "" || method !== "POST") return { answer: fail(404, 0, "Unknown route in the fake Discord") };
    const checked = checkMessage(body, "followup", files);
    if (checked.problems.length > 0) return { answer: invalidForm(checked.problems) };
    if (checked.empty) return { answer: fail(400, 50006, "Cannot send an empty message") };
    const data = isRecord(body) ? body : {};
    if (state.original === "loading") {
      // Deprecated but real: the first follow-up after a defer edits the loading answer, keeping its visibility.
      state.original = "shown";
      const shown = this.show(state, "original", data, state.originalEphemeral);
      return { answer: ok({ ...channelMessage(data), id: shown.id }), ...(shown.ephemeral ? {} : { pings: checked.pings }) };
    }
    const shown = this.show(state, "followup", data, checked.ephemeral);
    return { answer: ok({ ...channelMessage(data), id: shown.id }), pings: checked.pings };
  }
}
