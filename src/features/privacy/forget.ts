import type { DbOrTx, Tx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import { asJson } from "../../db/json.ts";
import { replaceInColumn, replaceValue, textColumns } from "../../db/text-columns.ts";
import { nameOf } from "../rapid/model.ts";

/** What a forgotten member is called everywhere the team's history names them. */
export const formerMemberName = "former member";

/** Columns holding rendered messages (the bot's own texts), where a name can stand inside a sentence. */
const renderedColumns = new Set(["OutboxEntry.message", "Job.outbox", "DiscordPost.parts"]);

/**
 * Erases a member (GDPR Art. 17): their profile, settings, availability, skills, direct
 * conversations, memberships and their private reminders (set by or for them) are deleted;
 * the team's reminders they set stay, under the placeholder; their name and platform id are
 * replaced by a neutral placeholder wherever the team's history keeps them, so counts (votes,
 * claims, tasks) stay correct. Their own remarks in request timelines are removed.
 */
export async function forgetMember(db: DbOrTx, memberId: number, now: Date): Promise<void> {
  const member = await db.member.findUniqueOrThrow({ where: { id: memberId } });
  const oldRef = member.ref;
  const oldName = nameOf(member);
  const newRef = `forgotten:${member.id}`;
  await retryingTransaction(db, async (tx) => {
    const texts = await deletePrivate(tx, member.id, oldRef);
    // Events from before the actor was kept are found by the name they recorded.
    const events = await tx.rrEvent.findMany({ where: { OR: [{ actorId: member.id }, { actorId: null, actor: oldName }] } });
    for (const e of events) {
      // Their own words (an update, a closing note) go; that something happened stays.
      const { text, ...data } = (e.data ?? {}) as Record<string, unknown>;
      await tx.rrEvent.update({ where: { id: e.id }, data: { actor: formerMemberName, data: asJson(data) } });
      if (typeof text === "string") {
        texts.push(text);
        await tx.rrRequest.updateMany({ where: { id: e.requestId, lastUpdate: text }, data: { lastUpdate: null } });
        await tx.rrRequest.updateMany({ where: { id: e.requestId, note: text }, data: { note: null } });
      }
    }
    await forgetSentMessages(tx, texts);
    await tx.member.update({
      where: { id: member.id },
      data: { ref: newRef, displayName: formerMemberName, language: null, timeZone: null, forgottenAt: now },
    });
  });
  await sweep(db, oldRef, oldName);
}

/** Deletes what is theirs alone; returns the texts of their reminders (to find copies in sent messages). */
async function deletePrivate(tx: Tx, memberId: number, ref: string): Promise<string[]> {
  const reminders = await tx.reminder.findMany({
    where: { OR: [{ creatorRef: ref, targetKind: { not: "team" } }, { targetRef: ref }] },
    select: { id: true, text: true },
  });
  for (const { id } of reminders) await tx.job.deleteMany({ where: { pendingKey: { startsWith: `reminder:${id}:` } } });
  await tx.reminder.deleteMany({ where: { id: { in: reminders.map((r) => r.id) } } });
  await tx.rrProfile.deleteMany({ where: { memberId } });
  await tx.rrSkill.deleteMany({ where: { memberId } });
  await tx.discordDmChannel.deleteMany({ where: { memberId } });
  await tx.matrixDirectRoom.deleteMany({ where: { member: ref.replace(/^matrix:/, "") } });
  await tx.teamMember.deleteMany({ where: { memberId } });
  // Messages still waiting for them: nobody to send them to any more.
  await tx.outboxEntry.deleteMany({ where: { conversation: ref } });
  // Plans addressed to them (task reminders): they would reach nobody.
  await tx.job.updateMany({ where: { owner: ref }, data: { owner: null } });
  return reminders.map((r) => r.text);
}

/** Sent (or failed) messages kept for a few days that quote their words: deleted, they did their work. */
async function forgetSentMessages(tx: Tx, texts: readonly string[]): Promise<void> {
  const quoted = texts.filter((t) => t.length > 0).map((t) => JSON.stringify(t).slice(1, -1));
  if (quoted.length === 0) return;
  const finished = await tx.outboxEntry.findMany({ where: { status: { not: "pending" } }, select: { id: true, message: true } });
  const ids = finished.filter((e) => quoted.some((q) => JSON.stringify(e.message).includes(q))).map((e) => e.id);
  await tx.outboxEntry.deleteMany({ where: { id: { in: ids } } });
}

/**
 * What the targeted steps cannot know: the old reference, platform id and name anywhere in
 * the database: as a whole text value, as a JSON string, and inside the bot's rendered messages.
 */
async function sweep(db: DbOrTx, oldRef: string, oldName: string): Promise<void> {
  const bareId = /^(discord|matrix):(.{4,})$/.exec(oldRef)?.[2];
  const olds = [oldRef, ...(bareId ? [bareId] : []), ...(oldName.length >= 2 ? [oldName] : [])];
  for (const c of await textColumns(db)) {
    if (c.table === "Member") continue;
    for (const old of olds) {
      if (renderedColumns.has(`${c.table}.${c.column}`)) await replaceInColumn(db, c, old, formerMemberName);
      else if (c.json) await replaceInColumn(db, c, JSON.stringify(old), JSON.stringify(formerMemberName), true);
      else if (old !== oldName) await replaceValue(db, c, old, formerMemberName);
    }
  }
}
