import type { Member, Team } from "../../../src/generated/prisma/client.ts";
import { startTestBot } from "../../support/harness.ts";

export { type BotProcess, startBot } from "../../support/bot-process.ts";

/**
 * Plans `count` reminders "R<n>X", due at `dueAt`, to `members` in turn (private
 * messages), set by the first member in `room`: written into the database file
 * `dir/test.db` through the reminders feature, before the bot process starts.
 */
export async function planReminders(
  dir: string,
  plan: { room: string; members: string[]; count: number; dueAt: Date; now: Date },
): Promise<Map<string, string>> {
  const bot = await startTestBot({ DEFAULT_LANGUAGE: "en" }, { dir, keepFiles: true, now: plan.now });
  const { directory, reminders } = bot.app.services;
  const rows: { team: Team; member: Member }[] = [];
  for (const [i, ref] of plan.members.entries()) {
    rows.push(await directory.resolve({ room: plan.room, roomName: "team", member: ref, memberName: `m${i}`, isCoordinator: false }, plan.now));
  }
  const setter = rows[0];
  if (!setter) throw new Error("no members");
  const scope = { team: setter.team, actor: { member: setter.member, isCoordinator: false }, now: plan.now };
  const targets = new Map<string, string>();
  for (let n = 0; n < plan.count; n++) {
    const ref = plan.members[n % plan.members.length] ?? "";
    const text = `R${n}X`;
    await reminders.create(scope, {
      target: { kind: "member", ref },
      when: { kind: "instant", at: plan.dueAt, text: "soon" },
      text,
      timeZone: "Europe/Berlin",
    });
    targets.set(text, ref);
  }
  await bot.close();
  return targets;
}

/** How often each text was delivered, per conversation. */
export function tally(deliveries: { to: string; text: string }[]): Map<string, Map<string, number>> {
  const byConversation = new Map<string, Map<string, number>>();
  for (const d of deliveries) {
    const counts = byConversation.get(d.to) ?? new Map<string, number>();
    counts.set(d.text, (counts.get(d.text) ?? 0) + 1);
    byConversation.set(d.to, counts);
  }
  return byConversation;
}

/**
 * The promise after a crash: every expected text arrived, none more than twice, and in
 * each conversation at most one text twice (the message in flight when the process died).
 */
export function duplicatesPerConversation(
  deliveries: { to: string; text: string }[],
  expected: Map<string, string>,
): { missing: string[]; tooOften: string[]; conversationsWithTwoDuplicates: string[]; duplicates: number } {
  const counts = tally(deliveries);
  const missing = [...expected].filter(([text, to]) => !counts.get(to)?.get(text)).map(([text]) => text);
  const tooOften: string[] = [];
  const conversationsWithTwoDuplicates: string[] = [];
  let duplicates = 0;
  for (const [to, texts] of counts) {
    const twice = [...texts].filter(([, n]) => n > 1);
    duplicates += twice.length;
    tooOften.push(...twice.filter(([, n]) => n > 2).map(([text]) => `${to} ${text}`));
    if (twice.length > 1) conversationsWithTwoDuplicates.push(`${to}: ${twice.map(([t]) => t).join(", ")}`);
  }
  return { missing, tooOften, conversationsWithTwoDuplicates, duplicates };
}
