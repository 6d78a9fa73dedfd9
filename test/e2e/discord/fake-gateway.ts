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
interface Session {
  socket: WebSocket;
  intents: number | undefined;
}

/** What the gateway needs from the fake: the token, the portal's switches, the first events. */
export interface GatewayHost {
  readonly token: string;
  readonly enabledPrivilegedIntents: number;
  /** READY and GUILD_CREATE for a new session (sent through `dispatch`). */
  ready(identifies: number): void;
}

/** The JSON gateway: HELLO, heartbeat ACK, IDENTIFY (checked) -> READY, RESUME -> RESUMED. */
export class FakeGateway {
  identifies = 0;
  resumes = 0;
  connections = 0;
  /** Close codes the gateway sent (4014 for disallowed intents and so on). */
  readonly closes: number[] = [];
  private readonly sessions = new Set<Session>();
  private seq = 0;

  private readonly host: GatewayHost;

  constructor(host: GatewayHost) {
    this.host = host;
  }

  connect(socket: WebSocket): void {
    const session: Session = { socket, intents: undefined };
    this.connections += 1;
    this.sessions.add(session);
    socket.on("close", () => this.sessions.delete(session));
    socket.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: 41250 } }));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { op: number; d?: unknown };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      else if (frame.op === 2) {
        const outcome = checkIdentify(frame.d, this.host.token, this.host.enabledPrivilegedIntents);
        if (!outcome.ok) {
          this.closes.push(outcome.code);
          socket.close(outcome.code, outcome.reason);
          return;
        }
        session.intents = outcome.intents;
        this.identifies += 1;
        this.seq = 0;
        this.host.ready(this.identifies);
      } else if (frame.op === 6) {
        // A resumed session keeps the intents it identified with.
        session.intents ??= [...this.sessions].find((s) => s.intents !== undefined)?.intents ?? 0;
        this.resumes += 1;
        this.dispatch("RESUMED", {});
      }
    });
  }

  /** Sends an event to every session whose intents include it. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: this.seq, d });
    const needed = intentFor(t, d);
    for (const s of this.sessions) {
      if (s.intents === undefined) continue;
      if (needed === undefined || (s.intents & needed) !== 0) s.socket.send(frame);
    }
  }

  /** Cuts every connection abruptly, as a network failure would. */
  drop(): void {
    for (const s of this.sessions) s.socket.terminate();
  }
}
