import { it } from "vitest";
import { startTestBot } from "../support/harness.ts";

it("scratch", async () => {
  const bot = await startTestBot();
  const out: string[] = [];
  const say = async (l: string, as?: { member?: string; room?: string; coordinator?: boolean }) =>
    out.push(`> ${l}\n${await bot.say(l, as)}`);
  await say("remind me tomorrow 9:00 call the office");
  await say("settings language en");
  await say("remind me morgen 9 Uhr Amt anrufen");
  await say("remind team next friday 14:00 send report");
  await say("remind @bob in 2h bring keys");
  await say("remind every weekday 9:00 standup");
  await say("remind every jeden Montag 10 Uhr Teamrunde");
  await say("remind me blah blah");
  await say("remind list");
  await say("remind list", { coordinator: true });
  out.push(await bot.runDueJobs(new Date(Date.now() + 3 * 3600_000)));
  await say("remind snooze 4 10m", { member: "bob", coordinator: false });
  await say("remind done 4", { member: "bob" });
  await say("remind cancel 1", { member: "ann" });
  await say("meeting create Plenum next friday 14:00 90m town hall");
  await say("meeting create Retreat 2026-12-05");
  await say("meeting list");
  await say("meeting info 1");
  await say("meeting move 1 next monday 10:00");
  await say("meeting ics 1");
  await say("meeting cancel 2");
  await say("settings team meeting-reminders 2h 30m", { coordinator: true });
  await say("help");
  console.log(out.join("\n"));
  await bot.close();
});
