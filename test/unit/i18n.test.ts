import { describe, expect, it } from "vitest";
import { createI18n } from "../../src/app.ts";
import { I18n } from "../../src/core/i18n.ts";

describe("translations", () => {
  const i18n = createI18n();

  it("German has every English key and no extra ones", () => {
    const en = i18n.keys("en");
    const de = i18n.keys("de");
    expect(en.length).toBeGreaterThan(20);
    expect(de.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !de.includes(k))).toEqual([]);
  });

  it("falls back to English for a key missing in German", () => {
    const partial = new I18n([
      { namespace: "x", en: { hello: "Hello", bye: "Bye" }, de: { hello: "Hallo" } },
    ]);
    expect(partial.translator("de").t("x.hello")).toBe("Hallo");
    expect(partial.translator("de").t("x.bye")).toBe("Bye");
  });

  it("turns **bold** into bold spans and keeps parameters as separate, unparsed spans", () => {
    const custom = new I18n([
      { namespace: "x", en: { m: "**{{who}}** said {{what}}" }, de: { m: "**{{who}}** sagte {{what}}" } },
    ]);
    const spans = custom.translator("de").tm("x.m", {
      who: { kind: "mention", member: "console:@ann", name: "ann" },
      what: "**not bold** @everyone {{x}}",
    });
    expect(spans).toEqual([
      { kind: "bold", spans: [{ kind: "mention", member: "console:@ann", name: "ann" }] },
      { kind: "text", text: " sagte **not bold** @everyone {{x}}" },
    ]);
  });

  it("uses singular and plural forms", () => {
    const de = i18n.translator("de");
    expect(de.t("poll.turnout", { count: 1, missing: 2 })).toBe("1 hat abgestimmt, 2 aus dem Team noch nicht.");
    expect(de.t("poll.turnout", { count: 3, missing: 0 })).toBe("3 haben abgestimmt, 0 aus dem Team noch nicht.");
    expect(i18n.translator("en").tm("meetingPoll.turnout", { count: 1, missing: 4 })).toEqual([
      { kind: "text", text: "1 answered, 4 of the team have not answered yet." },
    ]);
  });
});
