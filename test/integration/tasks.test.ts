import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Invocation } from "../../src/core/command.ts";
import { mentionedMembers } from "../../src/core/message.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

// Monday, 23 November 2026, 10:00 in Berlin: dates in answers stay the same on every run.
const now = new Date("2026-11-23T09:00:00Z");

describe("tasks, as a conversation on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({}, { now });
    // Members become known in a team when they write there.
    for (const member of ["bob", "carla", "dave"]) await bot.say("help", { member, room: "main" });
    bot.console.member = "ann";
  });
  afterEach(async () => {
    await bot.close();
  });

  const tasks = () => bot.app.db.task.findMany({ orderBy: { id: "asc" }, include: { assignees: true } });

  it("creates a task with an assignee and a due date, announces it and tells the assignee privately", async () => {
    const out = await bot.say(
      'task add "Begleitung zur Ausländerbehörde" @bob --due "2026-11-26 09:00" --note "Arabisch"',
    );
    expect(out).toContain("[#main] ✔ ann hat *#1 Begleitung zur Ausländerbehörde* angelegt.");
    expect(out).toContain("Fällig: Do., 26. Nov. 2026, 09:00 MEZ · Zuständig: @bob");
    expect(out).toContain("[1] Anfangen   [2] Erledigt");
    expect(out).toContain(
      "[private → bob] ann hat dir *#1 Begleitung zur Ausländerbehörde* in main gegeben, fällig Do., 26. Nov. 2026, 09:00 MEZ.",
    );
    const [task] = await tasks();
    expect(task?.note).toBe("Arabisch");
    expect(task?.assignees).toHaveLength(1);
  });

  it("notifies only the assignees through mentions, and its buttons run task commands", async () => {
    const send = vi.spyOn(bot.console, "send");
    await bot.say('task add "@everyone <b>Formular</b>" @bob @carla --due tomorrow');
    const room = send.mock.calls.map(([, m]) => m).find((m) => m.audience.kind === "room");
    expect(room && mentionedMembers(room)).toEqual(["console:@bob", "console:@carla"]);
    expect(room?.actions.map((a) => a.command)).toEqual(["task start 1", "task done 1"]);
    // User text stays text: no mention, no markup.
    expect(JSON.stringify(room?.blocks)).toContain('"text":"#1 @everyone <b>Formular</b>"');
    send.mockClear();
    await bot.say("task start 1", { member: "bob" });
    const started = send.mock.calls.map(([, m]) => m).find((m) => m.audience.kind === "room");
    expect(started?.actions.map((a) => a.command)).toEqual(["task done 1"]);
    expect(started && mentionedMembers(started)).toEqual([]);
  });

  it("numbers tasks per team and offers an unassigned task to anyone with a Take button", async () => {
    expect(await bot.say("task add Formular")).toContain("#1 Formular");
    const second = await bot.say("task add Dolmetscher");
    expect(second).toContain("#2 Dolmetscher");
    expect(second).toContain("Wer mag, kann sie übernehmen.");
    expect(second).toContain("[1] Übernehmen");
    // Another room is another team: its numbers start at 1.
    expect(await bot.say("task add Elsewhere", { room: "planning" })).toContain("#1 Elsewhere");
    // Pressing the button runs "task take 2" as the member who presses it.
    await bot.say("task list", { room: "main", member: "carla" });
    const offer = await bot.say("task add Wohnungssuche", { member: "ann" });
    expect(offer).toContain("[1] Übernehmen");
    const pressed = await bot.say("1", { member: "carla" });
    expect(pressed).toContain("→ task take 3");
    expect(pressed).toContain("[#main] carla übernimmt *#3 Wohnungssuche*.");
  });

  it("refuses an assignee who is not known in the team, and changes nothing", async () => {
    const out = await bot.say("task add Formular @zoe @bob");
    expect(out).toContain("✖ @zoe kenne ich in diesem Team noch nicht");
    expect(out).toContain("wenn sie in diesem Raum schreiben");
    expect(bot.last?.kind).toBe("user-error");
    expect(await tasks()).toHaveLength(0);
    // bob is known in main, not in another room.
    expect(await bot.say("task add Formular @bob", { room: "planning" })).toContain("@bob kenne ich");
    // No number was used up.
    expect(await bot.say("task add Formular", { room: "main" })).toContain("#1 Formular");
    expect(await bot.say("task assign 1 @zoe")).toContain("@zoe kenne ich in diesem Team noch nicht");
    expect((await tasks())[0]?.assignees).toHaveLength(0);
  });

  it("rejects due dates in the past, on creation and on change", async () => {
    expect(await bot.say('task add Formular --due "2026-11-20 09:00"')).toContain(
      "liegt in der Vergangenheit",
    );
    expect(await tasks()).toHaveLength(0);
    await bot.say("task add Formular");
    expect(await bot.say("task due 1 yesterday")).toContain("liegt in der Vergangenheit");
    expect((await tasks())[0]?.dueAt).toBeNull();
  });

  it("treats unknown ids and another team's ids alike, and never touches the other team's task", async () => {
    await bot.say("task add Planungstreffen", { room: "planning" });
    for (const line of [
      "task take 1",
      "task done 1",
      "task info 1",
      "task due 1 tomorrow",
      "task assign 1 @bob",
    ]) {
      expect(await bot.say(line, { room: "main" })).toContain(
        "Eine Aufgabe #1 gibt es in diesem Team nicht.",
      );
    }
    expect(await bot.say("task start 99")).toContain("Eine Aufgabe #99 gibt es in diesem Team nicht.");
    expect(await bot.say("task start abc")).toContain("„abc“ ist keine Aufgabennummer");
    const [other] = await tasks();
    expect(other?.status).toBe("open");
    expect(other?.assignees).toHaveLength(0);
  });

  it("lets only the creator, an assignee or a coordinator change a task", async () => {
    await bot.say("task add Formular @bob", { member: "ann" });
    const refused = "Nur wer sie angelegt hat (ann), wer zuständig ist oder die Koordination darf #1 ändern.";
    for (const line of [
      "task start 1",
      "task done 1",
      "task due 1 tomorrow",
      "task assign 1 @dave",
      "task unassign 1 @bob",
      "task cancel 1",
      "task note 1 hallo",
    ]) {
      expect(await bot.say(line, { member: "dave" })).toContain(refused);
    }
    expect((await tasks())[0]).toMatchObject({ status: "open", dueAt: null });
    expect(await bot.say("task start 1", { member: "bob" })).toContain(
      "bob hat mit *#1 Formular* angefangen.",
    );
    expect(await bot.say("task note 1 'Termin steht'", { member: "ann" })).toContain("Termin steht");
    expect(await bot.say("task done 1", { member: "dave", coordinator: true })).toContain(
      "dave hat *#1 Formular* erledigt.",
    );
  });

  it("take: first one wins; the others are told who has it", async () => {
    await bot.say("task add Formular");
    expect(await bot.say("task take 1", { member: "bob" })).toContain("bob übernimmt *#1 Formular*.");
    expect(await bot.say("task take 1", { member: "bob" })).toContain("#1 hast du schon.");
    expect(await bot.say("task take 1", { member: "carla" })).toContain("#1 hat schon bob übernommen.");
  });

  it("take: many members pressing Take at once still give the task to exactly one", async () => {
    await bot.say("task add Formular");
    const names = ["bob", "carla", "dave", "emil", "fatma", "goran"];
    const invocation = (member: string): Invocation => ({
      platform: "console",
      room: "console:main",
      roomName: "main",
      isDirect: false,
      member: `console:@${member}`,
      memberName: member,
      isCoordinator: false,
      input: { kind: "text", text: "task take 1", requirePrefix: false },
    });
    const results = await Promise.all(names.map((n) => bot.app.bot.handle(invocation(n))));
    await bot.app.bot.idle();
    expect(results.filter((r) => r.kind === "ok")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "user-error")).toHaveLength(names.length - 1);
    const [task] = await tasks();
    expect(task?.assignees).toHaveLength(1);
    expect(await bot.app.db.taskEvent.count({ where: { kind: "taken" } })).toBe(1);
  });

  it("one claim per member and task is a database constraint", async () => {
    await bot.say("task add Formular @bob");
    const [task] = await tasks();
    const bob = await bot.app.db.member.findUniqueOrThrow({ where: { ref: "console:@bob" } });
    await expect(
      bot.app.db.taskAssignee.create({ data: { taskId: task?.id ?? 0, memberId: bob.id } }),
    ).rejects.toThrow();
  });

  it("assigns and unassigns, telling those someone else assigned", async () => {
    await bot.say("task add Formular @bob");
    const out = await bot.say("task assign 1 @carla @dave", { member: "bob" });
    expect(out).toContain("[#main] bob hat *#1 Formular* an @carla, @dave vergeben.");
    expect(out).toContain("[private → carla] bob hat dir *#1 Formular* in main gegeben.");
    expect(out).toContain("[private → dave]");
    expect(await bot.say("task assign 1 @carla")).toContain("Schon für #1 zuständig: carla.");
    // Without names: yourself. Assigning yourself sends no private note.
    expect(await bot.say("task unassign 1", { member: "carla" })).toContain(
      "carla hat carla von *#1 Formular* abgezogen.",
    );
    const removed = await bot.say("task unassign 1 @dave", { member: "ann" });
    expect(removed).toContain("[private → dave] ann hat dich von *#1 Formular* in main abgezogen.");
    expect(await bot.say("task unassign 1 @carla", { member: "ann" })).toContain(
      "Nicht für #1 zuständig: @carla.",
    );
    const self = await bot.say("task assign 1 @ann", { member: "ann" });
    expect(self).not.toContain("[private → ann]");
    expect((await tasks())[0]?.assignees).toHaveLength(2);
  });

  it("moves through start, done, reopen and cancel, and refuses changes that make no sense", async () => {
    await bot.say("task add Formular @bob");
    bot.console.member = "bob";
    expect(await bot.say("task start 1")).toContain("angefangen");
    expect(await bot.say("task start 1")).toContain("#1 ist schon in Arbeit.");
    expect(await bot.say("task reopen 1")).toContain("#1 ist weder erledigt noch abgesagt");
    expect(await bot.say("task done 1 Termin am 3.12. vereinbart")).toContain(
      "bob hat *#1 Formular* erledigt: Termin am 3.12. vereinbart",
    );
    expect(await bot.say("task done 1")).toContain(
      "#1 ist schon erledigt. Öffne sie zuerst wieder mit *task reopen 1*.",
    );
    expect(await bot.say("task assign 1 @carla")).toContain("#1 ist schon erledigt.");
    expect(await bot.say("task reopen 1")).toContain("bob hat *#1 Formular* wieder geöffnet.");
    expect(await bot.say("task cancel 1")).toContain("bob hat *#1 Formular* abgesagt.");
    expect(await bot.say("task take 1", { member: "carla" })).toContain("#1 ist abgesagt.");
    expect((await tasks())[0]).toMatchObject({ status: "cancelled" });
  });

  it("lists open, mine, overdue, done and a member's tasks", async () => {
    await bot.say('task add "Formular" @bob --due "2026-11-23 12:00"');
    await bot.say('task add "Dolmetscher" @carla --due "2026-11-30"');
    await bot.say("task add Wohnung");
    await bot.say("task add Erledigtes @bob");
    await bot.say("task done 4", { member: "bob" });

    const open = await bot.say("task list", { member: "ann" });
    expect(open).toContain("OFFENE AUFGABEN (3)");
    expect(open).toContain("• *#1* Formular – fällig Mo., 23. Nov. 2026, 12:00 MEZ – bob");
    expect(open).toContain("• *#2* Dolmetscher – fällig Mo., 30. Nov. 2026 – carla");
    expect(open).toContain("• *#3* Wohnung – noch niemand");
    expect(open.indexOf("#1")).toBeLessThan(open.indexOf("#2"));

    expect(await bot.say("task list mine", { member: "bob" })).toMatch(/MEINE AUFGABEN \(1\)\n• \*#1\*/);
    expect(await bot.say("task list @carla")).toContain("AUFGABEN VON CARLA (1)");
    expect(await bot.say("task list done")).toContain("• *#4* Erledigtes – bob (erledigt)");
    expect(await bot.say("task list overdue")).toContain("Hier gibt es keine Aufgaben.");
    bot.clock.set(new Date("2026-11-23T12:00:00Z"));
    expect(await bot.say("task list overdue")).toContain(
      "• *#1* Formular – überfällig seit Mo., 23. Nov. 2026, 12:00 MEZ – bob",
    );
    expect(await bot.say("task list nonsense")).toContain("„nonsense“ ist keine Aufgabenliste");
    expect(await bot.say("task list", { room: "empty" })).toContain("Keine offenen Aufgaben.");
  });

  it("shows a task with its history: who created, assigned, changed the due date, finished it, when", async () => {
    await bot.say('task add "Formular" @bob --due "2026-11-26 09:00" --note "Arabisch"');
    bot.clock.set(new Date("2026-11-23T10:30:00Z"));
    await bot.say("task due 1 2026-11-27", { member: "bob" });
    await bot.say("task note 1 'Familie informiert'", { member: "bob" });
    await bot.say("task done 1 erledigt", { member: "bob" });
    const out = await bot.say("task info 1", { member: "carla" });
    expect(out).toContain("#1 FORMULAR");
    expect(out).toContain("• Stand: erledigt");
    expect(out).toContain("• Fällig: Fr., 27. Nov. 2026");
    expect(out).toContain("• Zuständig: bob");
    expect(out).toContain("• Angelegt von ann, Mo., 23. Nov. 2026, 10:00 MEZ");
    expect(out).toContain("• Notiz: Arabisch");
    expect(out).toContain("• Mo., 23. Nov. 2026, 10:00 MEZ – ann hat die Aufgabe angelegt");
    expect(out).toContain("• Mo., 23. Nov. 2026, 10:00 MEZ – ann hat bob zugeteilt");
    expect(out).toContain(
      "• Mo., 23. Nov. 2026, 10:00 MEZ – ann hat das Fälligkeitsdatum auf Do., 26. Nov. 2026, 09:00 MEZ gesetzt",
    );
    expect(out).toContain(
      "• Mo., 23. Nov. 2026, 11:30 MEZ – bob hat das Fälligkeitsdatum auf Fr., 27. Nov. 2026 gesetzt",
    );
    expect(out).toContain("• Mo., 23. Nov. 2026, 11:30 MEZ – bob: Familie informiert");
    expect(out).toContain("• Mo., 23. Nov. 2026, 11:30 MEZ – bob hat sie erledigt: erledigt");
  });

  it("answers each member in their language and zone; the room hears the team's language", async () => {
    await bot.say("settings language en", { member: "bob" });
    await bot.say("settings timezone America/New_York", { member: "bob" });
    const out = await bot.say('task add "Forms" @bob --due "2026-11-26 09:00"', { member: "ann" });
    expect(out).toContain("[#main] ✔ ann hat *#1 Forms* angelegt.");
    expect(out).toContain(
      "[private → bob] ann assigned you *#1 Forms* in main, due Thu, 26 Nov 2026, 03:00 GMT-5.",
    );
    expect(await bot.say("task list mine", { member: "bob" })).toContain(
      "• *#1* Forms – due Thu, 26 Nov 2026, 03:00 GMT-5 – bob",
    );
    expect(await bot.say("task take 7", { member: "bob" })).toContain("There is no task #7 in this team.");
  });

  it("lets anyone see the digest time and only coordinators change it", async () => {
    const shown = await bot.say("task digest");
    expect(shown).toContain("kommt Mo–Fr um 09:00 (Europe/Berlin). Nächste: Di., 24. Nov. 2026, 09:00 MEZ.");
    expect(await bot.say("task digest mo,do 8:30")).toContain("Das dürfen nur Koordinator*innen.");
    const set = await bot.say("task digest mo,do 8:30", { coordinator: true });
    expect(set).toContain("[#main] ✔ Die Übersicht der überfälligen Aufgaben kommt jetzt Mo, Do um 08:30");
    expect(set).toContain("Nächste: Do., 26. Nov. 2026, 08:30 MEZ.");
    expect(await bot.say("task digest täglich 7")).toContain("kommt jetzt jeden Tag um 07:00");
    expect(await bot.say("task digest 0 9 * * 1-5")).toContain("kommt jetzt Mo–Fr um 09:00");
    expect(await bot.say("task digest whenever")).toContain("„whenever“ kann ich nicht als Zeit");
    expect(await bot.say("task digest aus")).toContain("ist jetzt aus");
    expect(await bot.say("task digest", { coordinator: false })).toContain("ist aus.");
    const row = await bot.app.db.taskTeam.findFirstOrThrow();
    expect(row.digestRule).toBeNull();
  });

  it("refuses task commands in a direct conversation", async () => {
    expect(await bot.say("task add Formular", { room: "dm-ann" })).toContain("Raum des Teams");
  });
});
