import type { WebSocket } from "ws";
import { isRecord } from "./fake-http.ts";

/**
 * The gateway's session rules: IDENTIFY with the bot token (else close 4004) and valid
 * intents (else 4013); privileged intents (Server Members, Presence, Message Content) the
 * application has not enabled in the Developer Portal close the connection with 4014.
 * Events reach a session only when it asked for their intent.
 */
export const intent = {
  guilds: 1 << 0,
  guildMembers: 1 << 1,
  guildPresences: 1 << 8,
  guildMessages: 1 << 9,
  directMessages: 1 << 12,
  messageContent: 1 << 15,
  guildMessagePolls: 1 << 24,
  directMessagePolls: 1 << 25,
};
export const privilegedIntents = intent.guildMembers | intent.guildPresences | intent.messageContent;
const knownIntents = (1 << 26) - 1;

/** The intent an event needs (undefined: every session gets it). */
export function intentFor(t: string, d: unknown): number | undefined {
  const inGuild = isRecord(d) && typeof d.guild_id === "string";
  if (t === "MESSAGE_POLL_VOTE_ADD" || t === "MESSAGE_POLL_VOTE_REMOVE") {
    return inGuild ? intent.guildMessagePolls : intent.directMessagePolls;
  }
  if (t === "MESSAGE_CREATE" || t === "MESSAGE_UPDATE") return inGuild ? intent.guildMessages : intent.directMessages;
  if (/^(GUILD|CHANNEL|THREAD)_/.test(t)) return intent.guilds;
  return undefined;
}

export type IdentifyOutcome = { ok: true; intents: number } | { ok: false; code: number; reason: string };

/** Checks an IDENTIFY payload against the token and the privileged intents enabled for the app. */
export function checkIdentify(d: unknown, token: string, enabledPrivileged: number): IdentifyOutcome {
  if (!isRecord(d) || d.token !== token) return { ok: false, code: 4004, reason: "Authentication failed." };
  const intents = d.intents;
  if (typeof intents !== "number" || !Number.isInteger(intents) || (intents & ~knownIntents) !== 0) {
    return { ok: false, code: 4013, reason: "Invalid intent(s)." };
  }
  if ((intents & privilegedIntents & ~enabledPrivileged) !== 0) {
    return { ok: false, code: 4014, reason: "Disallowed intent(s)." };
  }
  return { ok: true, intents };
}

/** One gateway connection and the intents its session identified with. */
export interface Session {
  socket: WebSocket;
  intents: number | undefined;
}
