import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { seedLists } from "../support/seed-lists.ts";

/**
 * Every list shows one page of 20 with "page N of M" and the command for the next page, in
 * the reader's language; `--page` picks a page, past the last one shows the last.
 */
const bullets = (out: string) => out.split("\n").filter((l) => l.startsWith("• ")).length;
const plain = (out: string) => out.replace(/[\u2066-\u2069\u200E\u200F]/g, "");

describe("lists page by page", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.say("help", { member: "ann", room: "main" });
    await seedLists(bot.app.db, { teamRef: "console:main", memberRef: "console:@ann", now: bot.clock.now(), count: 45 });
  });
  afterAll(async () => {
    await bot.close();
  });

  const lists = [
    ["task list", "task list open"],
    ["rr list", "rr list"],
    ["remind list", "remind list"],
    ["meeting list", "meeting list"],
    ["poll list", "poll list"],
  ] as const;

  it.each(lists)("%s shows 20 rows, the page and how to see the next", async (command, next) => {
    const first = await bot.say(command, { member: "ann" });
    expect(bullets(first)).toBe(20);
    expect(plain(first)).toContain(`Seite 1 von 3 (45 insgesamt). Nächste Seite: \`${next} --page 2\``);
    const second = await bot.say(`${command} --page 2`, { member: "ann" });
    expect(bullets(second)).toBe(20);
    expect(plain(second)).toContain(`Seite 2 von 3 (45 insgesamt). Nächste Seite: \`${next} --page 3\``);
    const last = await bot.say(`${command} --page 3`, { member: "ann" });
    expect(bullets(last)).toBe(5);
    expect(plain(last)).toContain("Seite 3 von 3 (45 insgesamt).");
    expect(last).not.toContain("Nächste Seite");
    // Past the end: the last page.
    expect(await bot.say(`${command} --page 99`, { member: "ann" })).toBe(last);
    expect(await bot.say(`${command} --page 0`, { member: "ann" })).toMatch(/^✖/);
  });

  it("keeps the order across pages: each page continues where the last ended", async () => {
    const numbers = async (page: number) =>
      [...(await bot.say(`task list --page ${page}`, { member: "ann" })).matchAll(/\*#(\d+)\*/g)].map((m) => Number(m[1]));
    const all = [...(await numbers(1)), ...(await numbers(2)), ...(await numbers(3))];
    expect(all).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
  });

  it("says which page it is in the reader's language", async () => {
    const expected = {
      en: "Page 1 of 3 (45 in all). Next page: `task list open --page 2`",
      de: "Seite 1 von 3 (45 insgesamt). Nächste Seite: `task list open --page 2`",
      uk: "Сторінка 1 з 3 (усього 45). Наступна сторінка: `task list open --page 2`",
      ru: "Страница 1 из 3 (всего 45). Следующая страница: `task list open --page 2`",
      ar: "الصفحة 1 من 3 (المجموع 45). الصفحة التالية: `task list open --page 2`",
      tr: "Sayfa 1 / 3 (toplam 45). Sonraki sayfa: `task list open --page 2`",
      fa: "صفحهٔ 1 از 3 (در مجموع 45). صفحهٔ بعد: `task list open --page 2`",
    };
    for (const [lang, line] of Object.entries(expected)) {
      await bot.say(`settings language ${lang}`, { member: "bob" });
      expect(plain(await bot.say("task list", { member: "bob" }))).toContain(line);
    }
  });
});

describe("the meeting list, page by page, with a series and a meeting under way", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.say("help", { member: "ann", room: "main" });
    const now = bot.clock.now();
    await seedLists(bot.app.db, { teamRef: "console:main", memberRef: "console:@ann", now, count: 45 });
    // Began half an hour ago, lasts an hour; and a daily series whose next meeting is at 12:00 today.
    const running = { teamRef: "console:main", number: 1000, title: "Running", createdBy: "console:@ann", uid: "running@teambot.test" };
    await bot.app.db.meeting.create({ data: { ...running, startsAt: new Date(now.getTime() - 30 * 60_000) } });
    await bot.say("meeting series Plenum jeden Tag um 12", { member: "ann" });
  });
  afterAll(async () => {
    await bot.close();
  });

  const titles = async (page: number) =>
    (await bot.say(`meeting list --page ${page}`, { member: "ann" }))
      .split("\n")
      .filter((l) => l.startsWith("• "))
      .map((l) => /(Running|Plenum|Meeting \d+)/.exec(l)?.[1]);

  it("places them by when they come, across pages", async () => {
    const seeded = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Meeting ${from + i}`);
    expect(await titles(1)).toEqual(["Running", "Meeting 1", "Plenum", ...seeded(2, 18)]);
    expect(await titles(2)).toEqual(seeded(19, 38));
    expect(await titles(3)).toEqual(seeded(39, 45));
  });
});
