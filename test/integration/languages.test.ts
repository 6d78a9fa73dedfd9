import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Language } from "../../src/core/time.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

/**
 * One conversation per language: a poll, a task, a reminder and a rapid-response request in a
 * team whose language and members' languages are that language. The answers may contain the
 * command words (English), the names and the texts the members typed, and nothing of another
 * language.
 */
interface Case {
  lang: Language;
  typed: { question: string; answers: [string, string]; task: string; reminder: string; request: string };
  /** Letters of another script or words of another language that must not appear. */
  foreign: RegExp;
}

const english = /\b(the|and|is|are|your|you|poll|task|request|reminder|vote|votes|team|nobody|done|open|not|with|from|for|of|to|now|yet)\b/i;
const german = /\b(der|die|das|und|ist|nicht|mit|für|von|dein|deine|Umfrage|Aufgabe|Erinnerung|Anfrage|Stimme|Team|noch|jetzt)\b/i;
const latinWord = /[A-Za-z]{2,}/;

const cases: Case[] = [
  {
    lang: "uk",
    typed: { question: "Піца чи суп?", answers: ["Піца", "Суп"], task: "Перекласти лист", reminder: "подзвонити в управління", request: "Потрібен перекладач" },
    foreign: /[ыэъё]|[\u0600-\u06FF]/i,
  },
  {
    lang: "ru",
    typed: { question: "Пицца или суп?", answers: ["Пицца", "Суп"], task: "Перевести письмо", reminder: "позвонить в ведомство", request: "Нужен переводчик" },
    foreign: /[іїєґ]|[\u0600-\u06FF]/i,
  },
  {
    lang: "ar",
    typed: { question: "بيتزا أم شوربة؟", answers: ["بيتزا", "شوربة"], task: "ترجمة الرسالة", reminder: "الاتصال بالمكتب", request: "نحتاج مترجمًا" },
    // Persian letters (پ چ ژ گ ی ک) and Cyrillic.
    foreign: /[\u067E\u0686\u0698\u06AF\u06CC\u06A9]|[\u0400-\u04FF]/,
  },
  {
    lang: "tr",
    typed: { question: "Pizza mı çorba mı?", answers: ["Pizza", "Çorba"], task: "Mektubu çevir", reminder: "daireyi ara", request: "Tercüman lazım" },
    foreign: /[\u0400-\u04FF\u0600-\u06FF]|[äß]/i,
  },
  {
    lang: "fa",
    typed: { question: "پیتزا یا سوپ؟", answers: ["پیتزا", "سوپ"], task: "ترجمهٔ نامه", reminder: "تماس با اداره", request: "مترجم لازم داریم" },
    // Arabic yeh and kaf (Persian writes ی and ک), and Cyrillic.
    foreign: /[\u064A\u0643]|[\u0400-\u04FF]/,
  },
];

/** What an answer may contain besides the language: command lines, names, zones, the bot's name. */
function strip(line: string, typed: Case["typed"]): string {
  let out = line
    .replace(/[\u2066-\u2069\u200E\u200F]/g, "")
    .replace(/^\[(#[\w-]+|private → [\w-]+)\] /, "")
    // Commands are bold or code and start with an English command word (their placeholders are translated).
    .replace(/\*[a-z][a-z-]* [^*]*\*/g, " ")
    .replace(/`[^`]*`/g, " ");
  for (const t of [typed.question, ...typed.answers, typed.task, typed.reminder, typed.request]) out = out.split(t).join(" ");
  return out.replace(/\b(ann|bob|main|Teambot|GMT|UTC|Europe\/Berlin)\b/g, " ").replace(/@\w+/g, " ");
}

describe.each(cases.map((c) => [c.lang, c] as const))("a conversation in %s", (lang, c) => {
  let bot: TestBot;
  const answers: string[] = [];
  const say = async (line: string, as: { member?: string; coordinator?: boolean } = {}) => {
    const out = await bot.say(line, as);
    answers.push(out);
    return out;
  };

  beforeAll(async () => {
    bot = await startTestBot();
    const t = c.typed;
    await bot.say(`settings team language ${lang}`, { member: "ann", coordinator: true });
    await bot.say(`settings language ${lang}`, { member: "bob", coordinator: false });
    await bot.say(`settings language ${lang}`, { member: "ann" });
    // A poll.
    await say(`poll create "${t.question}" "${t.answers[0]}" "${t.answers[1]}"`, { member: "ann" });
    await say("poll vote 1 1", { member: "bob" });
    await say("poll results 1", { member: "ann" });
    await say("poll nudge 1", { member: "ann", coordinator: true });
    await say("poll close 1", { member: "ann" });
    await say("poll vote 7 1", { member: "bob" });
    // A task.
    await say(`task add "${t.task}" @bob --due tomorrow`, { member: "ann" });
    await say("task start 1", { member: "bob" });
    await say("task done 1", { member: "bob" });
    await say("task info 1", { member: "ann" });
    // A reminder, delivered privately two hours later.
    await say(`remind me in 2h ${t.reminder}`, { member: "ann" });
    await say("remind list", { member: "ann" });
    answers.push(await bot.runDueJobs(new Date(bot.clock.now().getTime() + 2 * 3_600_000 + 60_000)));
    // A rapid-response request.
    await say("rr available on", { member: "bob" });
    await say(`rr "${t.request}"`, { member: "ann" });
    await say("rr claim 1", { member: "bob" });
    await say("rr info 1", { member: "ann" });
    await say("rr resolve 1", { member: "bob" });
  });
  afterAll(async () => {
    await bot.close();
  });

  it("answers every step in that language", () => {
    if (process.env.SHOW_CONVERSATION === lang) console.log(answers.join("\n"));
    const lines = answers.join("\n").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("→"));
    expect(lines.length).toBeGreaterThan(40);
    const leaks = lines.filter((line) => {
      const rest = strip(line, c.typed);
      if (c.foreign.test(rest) || english.test(rest) || german.test(rest)) return true;
      // Every language but Turkish is written in another script: no Latin words at all.
      return lang !== "tr" && latinWord.test(rest);
    });
    expect(leaks).toEqual([]);
  });
});

describe("several languages in one team", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it("answers each member in their language, privately too, and posts in the team's", async () => {
    await bot.say("settings language uk", { member: "ann" });
    await bot.say("settings language tr", { member: "bob" });
    await bot.say("settings language fa", { member: "carla" });
    const created = await bot.say('task add "Formular" @bob @carla', { member: "ann" });
    // The team speaks German (the default): its room hears German, ann her answer in Ukrainian.
    expect(created).toContain("[#main] ✔ ann hat *#1 Formular* angelegt.");
    expect(created).toContain("[private → bob] ann size main odasında *#1 Formular* görevini verdi.");
    expect(created).toContain("[private → carla] \u200F\u2068ann\u2069 وظیفهٔ *\u2068#1 Formular\u2069* را در \u2068main\u2069 به شما سپرد.");
    expect(await bot.say("poll vote 9 1", { member: "ann" })).toBe("✖ У цій команді немає опитування #9.");
    // Time phrases stay German and English whatever a member reads.
    expect(await bot.say("remind me morgen 9 Uhr Formular", { member: "bob" })).toContain("numaralı hatırlatma (size)");
    expect(await bot.say("remind me tomorrow 9:00 Formular", { member: "ann" })).toContain("Нагадування *#2* для вас");
  });
});
