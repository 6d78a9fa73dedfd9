import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeliveryTarget } from "../../src/core/adapter.ts";
import { mentionedMembers, type OutgoingMessage } from "../../src/core/message.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

describe("rapid response on the console", () => {
  let bot: TestBot;
  let sent: { target: DeliveryTarget; message: OutgoingMessage }[];

  beforeEach(async () => {
    bot = await startTestBot();
    sent = [];
    const original = bot.console.send.bind(bot.console);
    vi.spyOn(bot.console, "send").mockImplementation(async (target, message) => {
      sent.push({ target, message });
      return original(target, message);
    });
    // Responders: bob (dari, English), carla (driving), dave (dari, not available).
    await bot.say("settings language en", { member: "bob", room: "main" });
    await bot.say("rr skills add dari farsi", { member: "bob" });
    await bot.say("rr available on", { member: "bob" });
    await bot.say("rr skills add driving", { member: "carla" });
    await bot.say("rr available on", { member: "carla" });
    await bot.say("rr skills add dari", { member: "dave" });
    await bot.say("rr available off", { member: "dave" });
    sent = [];
  });
  afterEach(async () => {
    await bot.close();
  });

  /** Runs the jobs due `n` minutes from now (the clock is real here). */
  const later = (n: number) => bot.runDueJobs(new Date(bot.clock.now().getTime() + n * 60_000));
  const request = (number: number) =>
    bot.app.db.rrRequest.findFirstOrThrow({ where: { number, team: { ref: "console:main" } } });

  it("posts a request without quotes, alerts exactly the available members with the skill, and tells the requester whom", async () => {
    const out = await bot.say(
      "rr Need a Dari interpreter at the Jobcenter tomorrow 8:00 --urgent --skill dari",
      {
        member: "ann",
      },
    );
    expect(out).toContain("[#main]");
    expect(out).toContain("DRINGENDE Anfrage #1");
    expect(out).toContain("Need a Dari interpreter at the Jobcenter tomorrow 8:00");
    expect(out).toContain("[private → bob]");
    expect(out).toContain("URGENT: help needed"); // bob reads English
    expect(out).not.toContain("[private → carla]"); // no dari
    expect(out).not.toContain("[private → dave]"); // not available
    expect(out).not.toContain("[private → ann]"); // the requester is not alerted
    expect(out).toContain("1 Person alarmiert: @bob");
    expect(out).toContain("Wenn bis");

    // The requester's confirmation mentions exactly the alerted; the post and alerts mention nobody.
    const reply = bot.last?.kind === "ok" ? bot.last.messages : [];
    expect(reply.flatMap(mentionedMembers)).toEqual(["console:@bob"]);
    expect(sent.flatMap((s) => mentionedMembers(s.message))).toEqual([]);
    // The room post carries the key and the "I'm on it" button; the alert the button for a DM.
    const post = sent.find((s) => "room" in s.target)?.message;
    expect(post?.key).toBe("rr:1");
    expect(post?.actions).toEqual([{ label: "Ich übernehme", command: "rr claim 1", style: "primary" }]);
    const alert = sent.find((s) => "member" in s.target)?.message;
    expect(alert?.actions[0]?.command).toBe("rr claim 1 --team console:main");
    expect(await later(9)).toBe("");
    expect(await later(11)).toContain("Kann jemand helfen? (Alarm 1 von 3)");
  });

  it("alerts everyone available when no skill is asked, and nobody when nobody is available", async () => {
    const out = await bot.say("rr ask Someone to pick up keys", { member: "ann" });
    expect(out).toContain("[private → bob]");
    expect(out).toContain("[private → carla]");
    expect(out).toContain("2 Personen alarmiert: @bob, @carla");
    await bot.say("rr available off", { member: "bob" });
    await bot.say("rr available off", { member: "carla" });
    const none = await bot.say("rr Another thing", { member: "ann" });
    expect(none).not.toContain("[private");
    expect(none).toContain("Gerade ist niemand verfügbar");
  });

  it("never lets request text mention anyone", async () => {
    await bot.say("rr @everyone @here @room <@123> <@&42> **bold** help --skill dari", { member: "ann" });
    const all = [...sent.map((s) => s.message), ...(bot.last?.kind === "ok" ? bot.last.messages : [])];
    expect(all.flatMap(mentionedMembers).every((m) => m === "console:@bob")).toBe(true);
    const post = sent.find((s) => "room" in s.target)?.message;
    expect(post?.blocks[1]).toEqual({
      kind: "paragraph",
      spans: [{ kind: "text", text: "@everyone @here @room <@123> <@&42> **bold** help" }],
    });
  });

  it("rejects unknown skills, offering the known ones, and creates nothing", async () => {
    const out = await bot.say("rr Need help --skill klingon", { member: "ann" });
    expect(bot.last?.kind).toBe("user-error");
    expect(out).toContain(
      "Niemand in diesem Team bietet klingon an. Bekannte Fähigkeiten: dari, driving, farsi.",
    );
    expect(await bot.app.db.rrRequest.count()).toBe(0);
    expect(await later(7 * 24 * 60)).toBe("");
    const other = await bot.say("rr Need help --skill dari", { member: "zoe", room: "elsewhere" });
    expect(other).toContain("noch niemand hat Fähigkeiten eingetragen");
  });

  it("claims from the alert's button in a direct conversation; needs n people; one claim per member", async () => {
    await bot.say("rr Two drivers for a move --need 2", { member: "ann" });
    const first = await bot.say("rr claim 1 --team console:main", { member: "bob", room: "dm-bob" });
    expect(first).toContain("You're on request *#1*. Thank you! 1 of 2 people are on it.");
    expect(first).toContain("Status: *offen*, 1 von 2 übernehmen: bob.");
    expect(first).toContain("[private → ann] ✔ *bob* übernimmt deine Anfrage *#1*.");
    expect(await bot.say("rr claim 1 --team console:main", { member: "bob", room: "dm-bob" })).toContain(
      "You're already on request #1.",
    );
    // Without --team it is found among the member's teams.
    const second = await bot.say("rr claim #1", { member: "carla", room: "dm-carla" });
    expect(second).toContain("Du übernimmst Anfrage *#1*. Danke! Sie ist jetzt abgedeckt.");
    expect(second).toContain("Status: *übernommen* von bob und carla.");
    const third = await bot.say("rr claim 1", { member: "dave", room: "main" });
    expect(third).toContain("Anfrage #1 ist schon abgedeckt (bob, carla).");
    expect(await bot.app.db.rrClaim.count()).toBe(2);
    expect((await request(1)).status).toBe("covered");
    expect(await later(3 * 60)).toBe(""); // covered: no escalation

    // The database itself refuses a second claim by the same member.
    const r = await request(1);
    const bob = await bot.app.db.member.findUniqueOrThrow({ where: { ref: "console:@bob" } });
    await expect(
      bot.app.db.rrClaim.create({ data: { requestId: r.id, memberId: bob.id, claimedAt: bot.clock.now() } }),
    ).rejects.toThrow();
  });

  it("reopens on unclaim and starts the escalation again", async () => {
    await bot.say("rr Need a driver --urgent", { member: "ann" });
    await bot.say("rr claim 1", { member: "bob" });
    const out = await bot.say("rr unclaim 1", { member: "bob" });
    expect(out).toContain("You're no longer on request *#1*.");
    expect(out).toContain("Status: *offen*, noch niemand übernimmt.");
    expect(out).toContain("[private → ann] *bob* ist von deiner Anfrage *#1* zurückgetreten");
    expect(await later(11)).toContain("Kann jemand helfen? (Alarm 1 von 3)");
    expect(await bot.say("rr unclaim 1", { member: "bob" })).toContain("You're not on request #1.");
  });

  it("lets only the requester, a claimer or a coordinator update, resolve or cancel", async () => {
    await bot.say("rr Need a driver", { member: "ann" });
    await bot.say("rr claim 1", { member: "bob" });
    for (const line of ["rr resolve 1", "rr cancel 1", 'rr update 1 "x"']) {
      const refused = await bot.say(line, { member: "carla" });
      expect(refused).toContain(
        "Nur wer gefragt hat, wer übernimmt oder die Koordination darf Anfrage #1 ändern.",
      );
    }
    expect((await request(1)).status).toBe("covered");

    const updated = await bot.say("rr update 1 Car booked, leaving at 7:30", { member: "bob" });
    expect(updated).toContain("Update added to request *#1*.");
    expect(updated).toContain("Letzter Stand: Car booked, leaving at 7:30");

    const resolved = await bot.say("rr resolve 1 all went well", { member: "cora", coordinator: true });
    expect(resolved).toContain("Anfrage *#1* ist erledigt.");
    expect(resolved).toContain("Status: *erledigt*");
    expect(resolved).toContain("Notiz: all went well");
    expect(resolved).toContain("[private → ann] ✔ *cora* hat deine Anfrage *#1* als erledigt markiert.");

    // Closed requests can be neither claimed nor changed.
    expect(await bot.say("rr claim 1", { member: "carla", coordinator: false })).toContain(
      "Anfrage #1 ist schon erledigt.",
    );
    expect(await bot.say("rr cancel 1", { member: "ann" })).toContain("Anfrage #1 ist schon erledigt.");
  });

  it("cancels: the requester may, claimers are told, pending jobs go", async () => {
    await bot.say('rr "Drive to the clinic" --by "in 3 hours"', { member: "ann" });
    await bot.say("rr claim 1", { member: "bob" });
    const out = await bot.say("rr cancel 1", { member: "ann" });
    expect(out).toContain("Anfrage *#1* ist abgebrochen.");
    expect(out).toContain("Status: *abgebrochen*");
    expect(out).toContain("[private → bob] Request *#1* was cancelled by ann; you're free again.");
    expect(await later(4 * 60)).toBe(""); // neither escalation nor expiry
    expect(await bot.say("rr claim 1", { member: "carla" })).toContain("Anfrage #1 wurde abgebrochen.");
  });

  it("keeps ids per team: another team's id is unknown", async () => {
    await bot.say("rr Need a driver", { member: "ann" });
    await bot.say("rr Other team's need", { member: "zoe", room: "north" });
    expect((await bot.app.db.rrRequest.findMany()).map((r) => r.number)).toEqual([1, 1]);
    expect(await bot.say("rr claim 2", { member: "carla", room: "main" })).toContain(
      "Hier gibt es keine Anfrage #2.",
    );
    expect(await bot.say("rr claim 1 --team console:north", { member: "carla", room: "main" })).toContain(
      "Hier gibt es keine Anfrage #1.",
    );
    expect(await bot.app.db.rrClaim.count()).toBe(0);
    // In a DM, bob only sees his own teams' requests: north's #1 is not his.
    expect(await bot.say("rr info 1 --team console:north", { member: "bob", room: "dm-bob" })).toContain(
      "There is no request #1 here.",
    );
    expect(await bot.say("rr claim abc", { member: "bob", room: "main" })).toContain(
      "is not a request number",
    );
  });

  it("asks which team when a DM id is ambiguous", async () => {
    await bot.say("rr Need a driver", { member: "ann", room: "main" });
    await bot.say("rr Need a cook", { member: "bob", room: "north" });
    const out = await bot.say("rr info 1", { member: "bob", room: "dm-bob" });
    expect(out).toContain("Request #1 exists in several of your teams");
    expect(out).toContain("--team console:north");
  });

  it("lists open requests and shows a timeline with times", async () => {
    await bot.say("rr First need", { member: "ann", room: "main" });
    await bot.say("rr Second need --urgent", { member: "ann" });
    await bot.say("rr claim 1", { member: "bob" });
    await bot.say("rr update 1 On my way", { member: "bob" });
    await bot.say("rr resolve 1 done", { member: "bob" });
    const listed = await bot.say("rr list", { member: "ann" });
    expect(listed).toContain("OFFENE ANFRAGEN");
    expect(listed).toContain("🚨 *#2* Second need");
    expect(listed).not.toContain("First need");

    const info = await bot.say("rr info 1", { member: "ann" });
    expect(info).toContain("VERLAUF");
    for (const entry of [
      "erstellt von ann",
      "alarmiert: bob und carla",
      "bob übernimmt",
      "neuer Stand von bob: On my way",
      "erledigt von bob: done",
    ]) {
      expect(info).toMatch(new RegExp(`• \\S+ \\d+\\. \\S+ \\d{4}, \\d\\d:\\d\\d [A-Z]+: ${entry}`));
    }
    await bot.say("rr resolve 2", { member: "ann" });
    expect(await bot.say("rr list")).toContain("Keine offenen Anfragen.");
  });

  it("sets availability on, off and until a time, and shows the roster", async () => {
    expect(await bot.say("rr available", { member: "dave" })).toContain("nicht verfügbar");
    expect(await bot.say("rr available until tomorrow 18:00", { member: "dave" })).toContain(
      "Du bist *verfügbar* für Schnellanfragen bis",
    );
    expect(await bot.say("rr available", { member: "dave" })).toContain("verfügbar* für Schnellanfragen bis");
    expect(await bot.say("rr available until", { member: "dave" })).toContain("Bis wann?");
    expect(await bot.say("rr available off tomorrow", { member: "dave" })).toContain("braucht keine Zeit");
    const roster = await bot.say("rr roster", { member: "ann" });
    expect(roster).toContain("*3* Mitglieder verfügbar:");
    expect(roster).toContain("• bob: dari, farsi");
    expect(roster).toMatch(/• dave \(bis .+\): dari/);
    expect(roster).toContain("Bekannte Fähigkeiten: dari, driving, farsi");

    // Past an "until", a member is no longer alerted.
    const dave = await bot.app.db.member.findUniqueOrThrow({ where: { ref: "console:@dave" } });
    await bot.app.db.rrProfile.update({
      where: { memberId: dave.id },
      data: { availableUntil: new Date(bot.clock.now().getTime() - 1000) },
    });
    const out = await bot.say("rr Need dari --skill dari", { member: "ann" });
    expect(out).toContain("[private → bob]");
    expect(out).not.toContain("[private → dave]");
  });

  it("manages skills: add, show, remove, bad names", async () => {
    expect(await bot.say("rr skills add Driving_Licence, arabic", { member: "erik" })).toContain(
      "Deine Fähigkeiten: arabic, driving-licence",
    );
    expect(await bot.say("rr skills", { member: "erik" })).toContain(
      "Deine Fähigkeiten: arabic, driving-licence",
    );
    expect(await bot.say("rr skills remove arabic", { member: "erik" })).toContain(
      "Deine Fähigkeiten: driving-licence",
    );
    expect(await bot.say("rr skills remove cooking", { member: "erik" })).toContain(
      "cooking steht nicht in deiner Liste",
    );
    expect(await bot.say("rr skills add <b>", { member: "erik" })).toContain(
      "ist kein Name für eine Fähigkeit",
    );
    expect(await bot.say("rr skills", { member: "fay" })).toContain("noch keine Fähigkeiten");
  });

  it("shows settings to everyone and lets coordinators change them", async () => {
    const shown = await bot.say("rr settings", { member: "ann" });
    expect(shown).toContain("nach 10 Min.");
    expect(shown).toContain("nach 2 Std.");
    expect(shown).toContain("2-mal");
    expect(await bot.say("rr settings --urgent 5m", { member: "ann" })).toContain(
      "Das dürfen nur Koordinator*innen.",
    );
    const changed = await bot.say("rr settings --urgent 15m --normal 3h --repeats 1", {
      member: "cora",
      coordinator: true,
    });
    expect(changed).toContain("nach 15 Min.");
    expect(changed).toContain("nach 3 Std.");
    expect(changed).toContain("1-mal");
    expect(await bot.say("rr settings --urgent 0m")).toContain("„0m“ dauert gar nicht");
    expect(await bot.say("rr settings --normal 8d")).toContain("„8d“ ist zu lang: höchstens 7 Tage");
    expect(await bot.say("rr settings --repeats 11")).toContain("--repeats");
    const team = await bot.app.db.team.findUniqueOrThrow({ where: { ref: "console:main" } });
    expect(await bot.app.db.rrTeamSettings.findUnique({ where: { teamId: team.id } })).toMatchObject({
      urgentMinutes: 15,
      normalMinutes: 180,
      repeats: 1,
    });
  });

  it("lets a coordinator close a request from a direct conversation, by their status in the team", async () => {
    await bot.say("rr Need a driver", { member: "ann", room: "main" });
    await bot.say("rr list", { member: "cora", coordinator: true });
    expect(await bot.say("rr cancel 1", { member: "dave", room: "dm-dave", coordinator: false })).toContain(
      "Nur wer gefragt hat",
    );
    const out = await bot.say("rr resolve 1 handled by phone", { member: "cora", room: "dm-cora" });
    expect(out).toContain("Anfrage *#1* ist erledigt.");
    expect(out).toContain("[#main] ✔ *Anfrage #1*"); // the post goes to the team's room, not the DM
  });

  it("writes the room post in the team's language and alerts in each member's", async () => {
    await bot.say("settings team language en", { member: "cora", room: "main", coordinator: true });
    const out = await bot.say("rr Need a driver --skill driving", { member: "ann", coordinator: false });
    expect(out).toContain("[#main] *Request #1*");
    expect(out).toContain("Status: *open*, nobody on it yet.");
    expect(out).toContain("[private → carla] *Help needed* in main (request #1)");
    expect(out).toContain("Alerted 1 person: @carla"); // ann has no language of her own: the team's
    expect(await bot.say("rr list", { member: "bob" })).toContain("OPEN REQUESTS");
  });

  it("refuses team-only commands in a direct conversation", async () => {
    expect(await bot.say("rr Need help", { member: "ann", room: "dm-ann" })).toContain("Raum des Teams");
    expect(await bot.app.db.rrRequest.count()).toBe(0);
  });
});
