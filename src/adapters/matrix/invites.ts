import type { MatrixClient, MatrixEvent } from "matrix-js-sdk";
import type { Logger } from "../../core/log.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import { isLanguage, type Language } from "../../core/time.ts";
import type { Db } from "../../db/client.ts";
import { messageContent } from "./content.ts";
import { defaultI18n } from "../../core/catalog.ts";
import type { MatrixOutbound } from "./outbound.ts";
import { type RetryPolicy, withRetry } from "./retry.ts";
import type { MatrixStore } from "./store.ts";

/** Whether an invite from this user is accepted under MATRIX_INVITE_ALLOW (servers or user ids). */
export function inviteAllowed(inviter: string, allow: readonly string[]): boolean {
  if (allow.length === 0) return true;
  const user = inviter.toLowerCase();
  const server = user.slice(user.indexOf(":") + 1);
  return allow.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e.startsWith("@") ? e === user : e === server;
  });
}

export interface InviteContext {
  client: MatrixClient;
  out: MatrixOutbound;
  store: MatrixStore;
  db: Db;
  log: Logger;
  retry: RetryPolicy;
  stopped: () => boolean;
  allow: readonly string[];
  /** Language for rooms that have no team yet. */
  language: Language;
}

/**
 * Joins a room the bot was invited to (if the inviter is allowed) and greets with a short
 * help. A direct-chat invite becomes the member's private room (and is listed in the bot's
 * `m.direct`, as clients do). With encryption off, encrypted rooms are left again with a notice.
 */
export async function acceptInvite(ctx: InviteContext, roomId: string, invite: MatrixEvent): Promise<void> {
  const { client, log } = ctx;
  const inviter = invite.getSender() ?? "";
  const leave = () => withRetry(() => client.leave(roomId), ctx.retry, ctx.stopped).catch(() => undefined);
  if (!inviteAllowed(inviter, ctx.allow)) {
    log.info({ roomId, inviter }, "matrix: invite declined (not in MATRIX_INVITE_ALLOW)");
    await leave();
    return;
  }
  await withRetry(() => client.joinRoom(roomId), ctx.retry, ctx.stopped);
  if (ctx.out.isEncrypted(roomId) && !ctx.out.canEncrypt()) {
    log.info({ roomId, inviter }, "matrix: leaving an encrypted room (MATRIX_ENCRYPTION is off)");
    const notice = await roomNotice(ctx, roomId, "matrix.encrypted");
    await ctx.out
      .sendEvent(roomId, "m.room.message", messageContent(notice, ctx.out.clock.now(), undefined, "m.notice"), true)
      .catch(() => undefined);
    await leave();
    return;
  }
  const isDirect = invite.getContent().is_direct === true;
  if (isDirect) {
    await ctx.store.saveDirectRoom(`matrix:${inviter}`, roomId);
    await ctx.out.markDirect(inviter, roomId);
  }
  log.info({ roomId, inviter, isDirect }, "matrix: joined on invite");
  await ctx.out.sendMessage(roomId, await roomNotice(ctx, roomId, "matrix.greeting"), undefined, true);
}

/** A message of the adapter's own, in the team's language (or the default for a new room). */
async function roomNotice(
  ctx: Pick<InviteContext, "db" | "language">,
  roomId: string,
  key: string,
): Promise<OutgoingMessage> {
  const team = await ctx.db.team.findUnique({ where: { ref: `matrix:${roomId}` } });
  const lang: Language = team && isLanguage(team.language) ? team.language : ctx.language;
  return {
    audience: { kind: "room", room: `matrix:${roomId}` },
    lang,
    timeZone: team?.timeZone ?? "UTC",
    tone: "info",
    blocks: [{ kind: "paragraph", spans: defaultI18n().translator(lang).tm(key) }],
    actions: [],
    attachments: [],
  };
}
