import { z } from "zod";
import { platformOf } from "../core/adapter.ts";
import { UndeliverableError } from "../core/errors.ts";
import type { Translator } from "../core/i18n.ts";
import { mention, type OutgoingMessage, outgoingMessageSchema, paragraph, time } from "../core/message.ts";
import { isLanguage } from "../core/time.ts";
import type { Tx } from "../db/client.ts";
import type { OutboxEntry } from "../generated/prisma/client.ts";
import type { SchedulerHost } from "./port.ts";

/** Why an entry failed for good, as its notice says it. */
export type FailureReason = { kind: "refused" } | { kind: "gaveUp"; minutes: number } | { kind: "unreadable" };

export function failureReason(error: unknown, retryForMs: number): FailureReason {
  return error instanceof UndeliverableError ? { kind: "refused" } : { kind: "gaveUp", minutes: Math.round(retryForMs / 60_000) };
}

/** The stored message of an entry, or undefined when it cannot be read (written by a newer version, damaged). */
export function storedMessage(entry: Pick<OutboxEntry, "message">): OutgoingMessage | undefined {
  try {
    return outgoingMessageSchema.parse(entry.message);
  } catch {
    return undefined;
  }
}

const onSentSchema = z.object({ kind: z.string(), data: z.unknown() });

/** What the feature wanted recorded once the entry was sent. */
export function storedOnSent(entry: Pick<OutboxEntry, "onSent">): { kind: string; data: unknown } | undefined {
  if (entry.onSent === null) return undefined;
  try {
    const parsed = onSentSchema.parse(entry.onSent);
    return { kind: parsed.kind, data: parsed.data };
  } catch {
    return undefined;
  }
}

/** A delivery that arrives much later than meant says so (unless it is an edit of a post, or says so itself). */
export function withDelayNote(
  message: OutgoingMessage,
  entry: Pick<OutboxEntry, "dueAt" | "lateNoted">,
  now: Date,
  lateAfterMs: number,
  tr: Translator,
): OutgoingMessage {
  if (entry.lateNoted || message.key || now.getTime() - entry.dueAt.getTime() <= lateAfterMs) return message;
  return { ...message, blocks: [...message.blocks, paragraph(...tr.tm("scheduler.delayed", { when: time(entry.dueAt) }))] };
}

function reasonText(tr: Translator, reason: FailureReason, platform: string): string {
  if (reason.kind === "refused") return tr.t("scheduler.reason.refused");
  if (reason.kind === "unreadable") return tr.t("scheduler.reason.unreadable");
  const name = platform.charAt(0).toUpperCase() + platform.slice(1);
  return reason.minutes < 60
    ? tr.t("scheduler.reason.gaveUpMinutes", { platform: name, count: reason.minutes })
    : tr.t("scheduler.reason.gaveUp", { platform: name, count: Math.round(reason.minutes / 60) });
}

const plain = (parts: ReturnType<Translator["tm"]>): OutgoingMessage["blocks"] => [paragraph(...parts)];

/**
 * Who is told that an entry failed for good, and what they read: its owner privately (in
 * the team room, mentioned, when the private message to them is what failed); for
 * messages nobody in particular caused, the team's coordinators privately. A notice's own
 * failure tells nobody.
 */
export async function failureNotices(
  tx: Tx,
  host: Pick<SchedulerHost, "localeFor" | "translator">,
  entry: OutboxEntry,
  reason: FailureReason,
): Promise<OutgoingMessage[]> {
  if (entry.notice) return [];
  const team = entry.teamRef ? await tx.team.findUnique({ where: { ref: entry.teamRef } }) : null;
  const platform = platformOf(entry.conversation);
  const params = (tr: Translator) => ({
    when: time(entry.dueAt),
    reason: reasonText(tr, reason, platform),
    id: entry.id,
  });
  const toMember = async (ref: string): Promise<OutgoingMessage> => {
    const { tr, lang, timeZone } = await host.localeFor(ref, team ?? undefined, tx);
    const target = await targetLabel(tx, tr, entry, team?.name);
    return notice({ kind: "member", member: ref }, lang, timeZone, plain(tr.tm("scheduler.undelivered", { ...params(tr), target })));
  };
  if (entry.owner && entry.owner !== entry.conversation) return [await toMember(entry.owner)];
  if (entry.owner) {
    // The private message to the owner failed: tell them where they read the team.
    if (!team || team.ref === entry.owner) return [];
    const lang = isLanguage(team.language) ? team.language : "de";
    const tr = host.translator(lang);
    const who = await tx.member.findUnique({ where: { ref: entry.owner } });
    const spans = tr.tm("scheduler.undeliveredToYou", { ...params(tr), member: mention(entry.owner, who?.displayName || entry.owner) });
    return [notice({ kind: "room", room: team.ref }, lang, team.timeZone, [paragraph(...spans)])];
  }
  if (!team) return [];
  const coordinators = await tx.teamMember.findMany({ where: { teamId: team.id, coordinator: true }, include: { member: true } });
  const notices: OutgoingMessage[] = [];
  for (const c of coordinators) if (c.member.ref !== entry.conversation) notices.push(await toMember(c.member.ref));
  return notices;
}

async function targetLabel(tx: Tx, tr: Translator, entry: OutboxEntry, teamName: string | undefined): Promise<string> {
  if (entry.conversation === entry.teamRef) return tr.t("scheduler.teamRoom", { name: teamName || entry.conversation });
  const member = await tx.member.findUnique({ where: { ref: entry.conversation } });
  return member?.displayName || entry.conversation.replace(/^[a-z]+:@?/, "");
}

function notice(
  audience: OutgoingMessage["audience"],
  lang: OutgoingMessage["lang"],
  timeZone: string,
  blocks: OutgoingMessage["blocks"],
): OutgoingMessage {
  return { audience, lang, timeZone, tone: "warning", blocks, actions: [], attachments: [] };
}
