import type { Translator } from "../../core/i18n.ts";
import type { Block, OutgoingMessage } from "../../core/message.ts";
import type { DbOrTx } from "../../db/client.ts";
import { defineJob } from "../../scheduler/port.ts";
import { tableBlocks } from "./date-view.ts";
import { closeJobPayload, postKey, tallyChoice, tallyDate, type VoteShape } from "./model.ts";
import { loadVotes, markClosed, nonVoters, type PollRow, writeTx } from "./store.ts";
import { nativePoll, resultBlocks, roomMessage } from "./view.ts";
import { asLanguage } from "../../core/time.ts";

/**
 * The closing post: the same key as the poll post (so platforms edit it and end a native
 * poll) with the final result; date polls get the final table and how to pick the date.
 */
export function finalPost(
  tr: Translator,
  poll: PollRow,
  votes: readonly VoteShape[],
  missing: number,
  how: { closedBy?: string; atDeadline?: boolean; lateFrom?: Date },
): { blocks: Block[]; extra: Partial<OutgoingMessage> } {
  if (poll.kind === "date") {
    const picked = poll.options.find((o) => o.id === poll.pickedOptionId);
    const blocks = tableBlocks(tr, poll, tallyDate(poll, votes), {
      final: true,
      missing,
      ...(picked ? { picked } : {}),
    });
    if (!picked) blocks.push({ kind: "paragraph", spans: tr.tm("meetingPoll.pickHint", { id: poll.number }) });
    return { blocks, extra: { key: postKey(poll.number) } };
  }
  const blocks = resultBlocks(tr, poll, tallyChoice(poll, votes), { final: true, missing, ...how });
  const native = nativePoll(poll, true);
  return { blocks, extra: native ? { key: postKey(poll.number), poll: native } : { key: postKey(poll.number) } };
}

/** Votes and the number of team members who have not voted. */
export async function standing(db: DbOrTx, poll: PollRow): Promise<{ votes: VoteShape[]; missing: number }> {
  const votes = await loadVotes(db, poll.id);
  const missing = (await nonVoters(db, poll.teamId, votes)).length;
  return { votes, missing };
}

/** Closes a poll at its deadline (a scheduled job); nothing happens if it was closed already. */
export const pollCloseJob = defineJob({
  kind: "poll.close",
  schema: closeJobPayload,
  async run({ pollId }, info, ctx) {
    const poll = await ctx.db.poll.findUnique({
      where: { id: pollId },
      include: { options: { orderBy: { position: "asc" } }, team: true },
    });
    if (!poll || poll.closedAt !== null) return [];
    const closed = await writeTx(ctx.db, (tx) => markClosed(tx, pollId, info.now));
    if (!closed) return [];
    const { votes, missing } = await standing(ctx.db, poll);
    const tr = ctx.translator(asLanguage(poll.team.language));
    const { blocks, extra } = finalPost(tr, poll, votes, missing, {
      atDeadline: true,
      ...(info.late ? { lateFrom: info.dueAt } : {}),
    });
    return [roomMessage(poll.team, blocks, extra)];
  },
});
