import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryTarget } from "../../src/core/adapter.ts";
import { mentionedMembers, type OutgoingMessage } from "../../src/core/message.ts";
import { pollCloseJob } from "../../src/features/polls/close.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

/** Records every message the console delivers (room posts, private messages) next to printing it. */
function recordSends(bot: TestBot): { target: DeliveryTarget; message: OutgoingMessage }[] {
  const sent: { target: DeliveryTarget; message: OutgoingMessage }[] = [];
  const original = bot.console.send.bind(bot.console);
  bot.console.send = (target, message) => {
    sent.push({ target, message });
    return original(target, message);
  };
  return sent;
}

const voteRows = (bot: TestBot, pollId = 1) => bot.app.db.pollVote.count({ where: { pollId } });

describe("polls, as a conversation on the console", () => {
  let bot: TestBot;
  let sent: ReturnType<typeof recordSends>;
  beforeEach(async () => {
    bot = await startTestBot();
    sent = recordSends(bot);
  });
  afterEach(async () => {
    await bot.close();
  });

  it("creates a poll as a room post with buttons, takes votes, changes them and shows results", async () => {
    const out = await bot.say('poll create "Pizza or soup?" Pizza Soup "Salad bowl"', { member: "ann" });
    expect(out).toContain("[#main] 📊 UMFRAGE #1: PIZZA OR SOUP?");
    expect(out).toContain("Wähle eine Option.");
    expect(out).toContain("(nur für dich) ✔ Umfrage *#1* ist veröffentlicht.");
    const post = sent.find((s) => s.message.key === "poll:1");
    expect(post?.target).toEqual({ room: "console:main" });
    expect(post?.message.actions.map((a) => a.command)).toEqual([
      "poll vote 1 1",
      "poll vote 1 2",
      "poll vote 1 3",
      "poll results 1",
      "poll retract 1",
    ]);
    expect(post?.message.poll).toBeUndefined();

    // Bob presses the second button (the console shows buttons as numbered choices).
    expect(await bot.say("2", { member: "bob" })).toContain(
      "(nur für dich) ✔ Deine Stimme in Umfrage #1: *Soup*.",
    );
    expect(await bot.say("poll vote 1 1", { member: "carla" })).toContain("*Pizza*");
    // Carla changes her mind: single choice, so the new vote replaces the old one.
    expect(await bot.say("poll vote 1 salad BOWL", { member: "carla" })).toContain("*Salad bowl*");
    expect(await voteRows(bot)).toBe(2);

    await bot.say("settings", { member: "dan" }); // seen in the team, has not voted
    const results = await bot.say("poll results 1", { member: "ann" });
    expect(results).toContain("ERGEBNIS DER UMFRAGE #1: PIZZA OR SOUP?");
    expect(results).toMatch(/1\) Pizza\s+·+ 0 Stimmen \(0\s%\)/);
    expect(results).toMatch(/2\) Soup\s+█{6}·{6} 1 Stimme \(50\s%\)/);
    expect(results).toContain("• Soup: bob");
    expect(results).toContain("• Salad bowl: carla");
    expect(results).toContain("• Pizza: niemand");
    expect(results).toContain("2 haben abgestimmt, 2 aus dem Team noch nicht.");
  });

  it("limits multiple choice, adds with --add and retracts one option or all", async () => {
    await bot.say('poll create "Topics?" Housing Jobs Language Health --multi 2', { member: "ann" });
    const post = sent.find((s) => s.message.key === "poll:1");
    expect(post?.message.actions[0]?.command).toBe("poll vote 1 1 --add");
    expect(await bot.say("poll vote 1 1 2 3", { member: "bob" })).toContain(
      "In Umfrage #1 darfst du höchstens 2 Optionen wählen.",
    );
    expect(await voteRows(bot)).toBe(0);
    expect(await bot.say("poll vote 1 1", { member: "bob" })).toContain("*Housing*");
    expect(await bot.say("poll vote 1 3 --add", { member: "bob" })).toContain("*Housing und Language*");
    expect(await bot.say("poll vote 1 4 --add", { member: "bob" })).toContain("höchstens 2 Optionen");
    expect(await bot.say("poll retract 1 1", { member: "bob" })).toContain(
      "„Housing“ gehört nicht mehr zu deiner Stimme in Umfrage #1.",
    );
    expect(await voteRows(bot)).toBe(1);
    expect(await bot.say("poll retract 1", { member: "bob" })).toContain(
      "Du stimmst in Umfrage #1 nicht mehr ab.",
    );
    expect(await voteRows(bot)).toBe(0);
    expect(await bot.say("poll retract 1", { member: "bob" })).toContain("Eine solche Stimme hattest du");
    // --multi alone: any number of options.
    await bot.say('poll create "Days?" Mon Tue Wed --multi', { member: "ann" });
    expect(await bot.say("poll vote 2 1 2 3", { member: "bob" })).toContain("*Mon, Tue und Wed*");
    // On a single-choice poll, --add switches (a platform's add may arrive before its remove).
    await bot.say('poll create "One?" A B', { member: "ann" });
    await bot.say("poll vote 3 1", { member: "bob" });
    expect(await bot.say("poll vote 3 2 --add", { member: "bob" })).toContain("*B*");
    expect(await voteRows(bot, 3)).toBe(1);
  });

  it("keeps anonymous polls anonymous and hides results until the poll closes", async () => {
    const out = await bot.say('poll create "Mood?" Good Bad --anonymous --hidden', { member: "ann" });
    expect(out).toContain("Anonyme Umfrage: Namen werden nie angezeigt oder exportiert.");
    expect(out).toContain("Die Ergebnisse bleiben verborgen, bis die Umfrage endet.");
    await bot.say("poll vote 1 1", { member: "bob" });
    await bot.say("poll vote 1 2", { member: "carla" });
    const hidden = await bot.say("poll results 1", { member: "ann" });
    expect(hidden).toContain(
      "Die Ergebnisse bleiben verborgen, bis die Umfrage endet. Bisher haben 2 Personen abgestimmt.",
    );
    expect(hidden).not.toContain("Stimme");
    const closed = await bot.say("poll close 1", { member: "ann" });
    expect(closed).toContain("ENDERGEBNIS DER UMFRAGE #1: MOOD?");
    expect(closed).toContain("1 Stimme (50\u00a0%)");
    expect(closed).toContain("Anonyme Umfrage: Namen werden nicht angezeigt.");
    expect(closed).toContain("Gleichstand zwischen Good und Bad.");
    expect(closed).not.toMatch(/bob|carla/);
    expect(await bot.say("poll results 1", { member: "dan" })).not.toMatch(/bob|carla/);
  });

  it("posts a native poll when asked and it fits, and ends it under the same key on close", async () => {
    await bot.say('poll create "Lunch?" Pizza Soup --native', { member: "ann" });
    const post = sent.find((s) => s.message.key === "poll:1");
    expect(post?.message.poll).toEqual({
      pollId: "1",
      question: "Lunch?",
      answers: [
        { id: "1", text: "Pizza" },
        { id: "2", text: "Soup" },
      ],
      maxSelections: 1,
      disclosed: true,
    });
    await bot.say("poll vote 1 2", { member: "bob" });
    await bot.say("poll close 1", { member: "ann" });
    const end = sent.filter((s) => s.message.key === "poll:1").at(-1);
    expect(end?.message.poll?.ended).toBe(true);
    expect(end?.message.actions).toEqual([]);
    expect(end?.message.blocks.some((b) => b.kind === "pre" && b.text.includes("Soup"))).toBe(true);

    // An anonymous poll cannot be native: buttons instead, and the creator is told why.
    const out = await bot.say('poll create "Secret?" A B --native --anonymous', { member: "ann" });
    expect(out).toContain(
      "Sie hat Knöpfe statt einer nativen Umfrage: native Umfragen zeigen, wer abgestimmt hat.",
    );
    expect(sent.find((s) => s.message.key === "poll:2")?.message.poll).toBeUndefined();
    const eleven = Array.from({ length: 11 }, (_, i) => `o${i + 1}`).join(" ");
    expect(await bot.say(`poll create "Many?" ${eleven} --native`)).toContain("höchstens 10 Antworten");
  });

  it("lets coordinators make native polls the team's default", async () => {
    expect(await bot.say("poll native on", { member: "bob", coordinator: false })).toContain(
      "Das dürfen nur Koordinator*innen.",
    );
    expect(await bot.say("poll native on", { member: "ann", coordinator: true })).toContain(
      "Neue Umfragen in diesem Team sind native Umfragen der Plattform, wo sie passen.",
    );
    await bot.say('poll create "Lunch?" Pizza Soup', { member: "bob", coordinator: false });
    expect(sent.find((s) => s.message.key === "poll:1")?.message.poll?.answers).toHaveLength(2);
    // Does not fit: buttons only, and no complaint since nobody asked for --native.
    const out = await bot.say('poll create "Secret?" A B --anonymous', { member: "bob" });
    expect(out).not.toContain("Knöpfe statt");
    expect(sent.find((s) => s.message.key === "poll:2")?.message.poll).toBeUndefined();
    await bot.say("poll native aus", { member: "ann", coordinator: true });
    await bot.say('poll create "Tea?" Yes No', { member: "bob", coordinator: false });
    expect(sent.find((s) => s.message.key === "poll:3")?.message.poll).toBeUndefined();
  });

  it("says when a deadline passed while the bot was offline", async () => {
    await bot.say('poll create "Late?" A B --closes "tomorrow 18:00"', { member: "ann" });
    const core = bot.app.bot;
    const dueAt = new Date(bot.clock.now().getTime() + 86_400_000);
    const messages = await pollCloseJob.run(
      { pollId: 1 },
      { jobId: 1, dueAt, late: true, now: new Date(dueAt.getTime() + 3_600_000) },
      {
        db: core.db,
        log: core.log,
        scheduler: core.services.scheduler,
        translator: (lang) => core.i18n.translator(lang),
        localeFor: (member, team) => core.localeFor(member, team),
        localeOf: (member, team) => core.localeOf(member, team),
      },
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.key).toBe("poll:1");
    const text = JSON.stringify(messages[0]?.blocks);
    expect(text).toContain("Zum Stichtag beendet, ");
    expect(text).toContain("ich war da nicht erreichbar");
    // Running it again changes nothing and says nothing.
    expect(
      await pollCloseJob.run(
        { pollId: 1 },
        { jobId: 1, dueAt, late: true, now: new Date(dueAt.getTime() + 3_600_000) },
        {
          db: core.db,
          log: core.log,
          scheduler: core.services.scheduler,
          translator: (lang) => core.i18n.translator(lang),
          localeFor: (member, team) => core.localeFor(member, team),
          localeOf: (member, team) => core.localeOf(member, team),
        },
      ),
    ).toEqual([]);
  });

  it("closes at the deadline through the scheduler and refuses votes afterwards", async () => {
    await bot.say('poll create "Date?" A B --closes "tomorrow 18:00"', { member: "ann" });
    const [job] = await bot.scheduler.pending("poll:1:close");
    expect(job?.kind).toBe("poll.close");
    expect(job?.payload).toEqual({ pollId: 1 });
    await bot.say("poll vote 1 1", { member: "bob" });
    expect(await bot.runDueJobs(bot.clock.now())).toBe("");
    const out = await bot.runDueJobs(new Date(bot.clock.now().getTime() + 3 * 86_400_000));
    expect(out).toContain("[#main] ENDERGEBNIS DER UMFRAGE #1: DATE?");
    expect(out).toContain("Zum Stichtag beendet.");
    expect(out).toContain("Die meisten Stimmen: *A*.");
    expect(await bot.say("poll vote 1 2", { member: "bob" })).toContain(
      "Umfrage #1 ist beendet: Abstimmen und Ändern geht nicht mehr.",
    );
    expect(bot.last?.kind).toBe("user-error");
    expect(await bot.say("poll retract 1", { member: "bob" })).toContain("ist beendet");
    expect(await voteRows(bot)).toBe(1);
  });

  it("closing by hand cancels the deadline; only the creator or a coordinator may close", async () => {
    await bot.say('poll create "Q?" A B --closes "tomorrow 18:00"', { member: "ann" });
    expect(await bot.say("poll close 1", { member: "bob", coordinator: false })).toContain(
      "Das dürfen nur die Person, die die Umfrage erstellt hat, und Koordinator*innen.",
    );
    expect((await bot.app.db.poll.findUniqueOrThrow({ where: { id: 1 } })).closedAt).toBeNull();
    expect(await bot.say("poll close 1", { member: "bob", coordinator: true })).toContain("Beendet von bob.");
    expect(await bot.scheduler.pending("poll:*")).toHaveLength(0);
    expect(await bot.say("poll close 1", { member: "ann", coordinator: false })).toContain("ist beendet");
  });

  it("lists the team's open polls only", async () => {
    expect(await bot.say("poll list", { member: "ann", room: "main" })).toContain(
      "In diesem Team gibt es keine offenen Umfragen.",
    );
    await bot.say('poll create "Ours?" A B', { room: "main" });
    await bot.say('poll create "Theirs?" A B', { room: "other" });
    await bot.say('poll create "Done?" A B', { room: "main" });
    // Numbers count per team: "Done?" is this team's second poll.
    await bot.say("poll close 2", { room: "main" });
    const out = await bot.say("poll", { room: "main" });
    expect(out).toContain("OFFENE UMFRAGEN");
    expect(out).toContain("#1 Ours? (0 haben abgestimmt)");
    expect(out).not.toContain("Theirs?");
    expect(out).not.toContain("Done?");
  });

  it("never lets one team see or change another team's poll", async () => {
    await bot.say('poll create "Ours?" A B', { member: "ann", room: "main" });
    await bot.say("poll vote 1 1", { member: "bob", room: "main" });
    for (const line of [
      "poll vote 1 2",
      "poll retract 1",
      "poll results 1",
      "poll close 1",
      "poll nudge 1",
    ]) {
      const out = await bot.say(line, { member: "eve", room: "elsewhere", coordinator: true });
      expect(out).toContain("In diesem Team gibt es keine Umfrage #1.");
      expect(bot.last?.kind).toBe("user-error");
    }
    expect(await voteRows(bot)).toBe(1);
    expect((await bot.app.db.poll.findUniqueOrThrow({ where: { id: 1 } })).closedAt).toBeNull();
  });

  it("rejects bad input with clear errors and changes nothing", async () => {
    const cases: [string, string][] = [
      ['poll create "Q?" A a', "Die Option „a“ kommt doppelt vor."],
      ['poll create "Q?" A "  "', "Optionen dürfen nicht leer sein."],
      ['poll create "Q?" A', "Eine Umfrage braucht mindestens 2 Optionen."],
      [
        `poll create "Q?" ${Array.from({ length: 21 }, (_, i) => `o${i}`).join(" ")}`,
        "Eine Umfrage darf höchstens 20 Optionen haben.",
      ],
      ['poll create "Q?" A B --closes "2020-01-01 10:00"', "liegt in der Vergangenheit"],
      ['poll create "Q?" A B --multi 3', "--multi muss eine Zahl von 1 bis 2 sein"],
      ['poll create "Q?" A B --multi x', "--multi muss eine Zahl von 1 bis 20 sein"],
      ["poll vote 99 1", "In diesem Team gibt es keine Umfrage #99."],
    ];
    for (const [line, message] of cases) {
      expect(await bot.say(line, { member: "ann" })).toContain(message);
      expect(bot.last?.kind).toBe("user-error");
    }
    expect(await bot.app.db.poll.count()).toBe(0);
    await bot.say('poll create "Q?" A B');
    expect(await bot.say("poll vote 1 3")).toContain(
      "Umfrage #1 hat keine Option „3“. Wähle eine Nummer von 1 bis 2.",
    );
    expect(await bot.say("poll retract 1 9")).toContain("hat keine Option „9“");
    expect(await voteRows(bot)).toBe(0);
  });

  it("nudges members seen in the team who have not voted, privately", async () => {
    await bot.say("settings", { member: "bob", room: "main" });
    await bot.say("settings", { member: "carla", room: "main" });
    await bot.say("settings", { member: "zoe", room: "other" });
    await bot.say('poll create "Q?" A B', { member: "ann", room: "main" });
    await bot.say("poll vote 1 1", { member: "bob" });
    expect(await bot.say("poll nudge 1", { member: "carla" })).toContain("Das dürfen nur");
    const out = await bot.say("poll nudge 1", { member: "ann" });
    expect(out).toContain("[private → carla] Erinnerung: Umfrage #1 „Q?“ in main wartet auf deine Stimme.");
    expect(out).toContain("*poll vote 1 1*");
    expect(out).toContain("Ich habe 1 Mitglied erinnert, das noch nicht abgestimmt hat.");
    expect(out).not.toContain("→ bob]");
    expect(out).not.toContain("→ zoe]");
    expect(out).not.toContain("→ ann]");
  });

  it("keeps user text as text: no mentions, no markup", async () => {
    await bot.say('poll create "@everyone **now**" "<b>a</b>" "@here"', { member: "ann" });
    await bot.say("poll vote 1 1", { member: "bob" });
    await bot.say("poll close 1", { member: "ann" });
    const posts = sent.filter((s) => s.message.key === "poll:1").map((s) => s.message);
    expect(posts).toHaveLength(2);
    for (const post of posts) expect(mentionedMembers(post)).toEqual([]);
    const heading = posts[0]?.blocks[0];
    // The question stays one escaped text span: no bold, no mention.
    expect(heading?.kind === "heading" && heading.spans).toEqual([
      { kind: "text", text: "📊 Umfrage #1: @everyone **now**" },
    ]);
  });

  it("speaks the member's language", async () => {
    await bot.say("settings language en", { member: "ann" });
    const out = await bot.say('poll create "Tea?" Yes No', { member: "ann" });
    expect(out).toContain("(only you) ✔ Poll *#1* is posted.");
    // The room post is in the team's language.
    expect(out).toContain("[#main] 📊 UMFRAGE #1: TEA?");
    expect(await bot.say("poll vote 1 3", { member: "ann" })).toContain(
      "Poll #1 has no option “3”. Choose a number from 1 to 2.",
    );
    expect(await bot.say("poll vote 1 1", { member: "ann" })).toContain("Your vote in poll #1: *Yes*.");
  });
});
