import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { families } from "../../commands/index.ts";
import { render } from "../../src/adapters/discord/render.ts";
import { renderMessage } from "../../src/adapters/matrix/render.ts";
import { defaultI18n, loadCatalog, localesDir } from "../../src/core/catalog.ts";
import { I18n, type MessageTree } from "../../src/core/i18n.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { tokenize } from "../../src/core/parse.ts";
import { Registry } from "../../src/core/registry.ts";
import { type Language, languages } from "../../src/core/time.ts";

/**
 * The message files (locales/<lang>/*.json) against English, the reference: every language has
 * every key with the plural forms its CLDR rules need, and the same placeholders.
 * `npm run i18n:check` runs this file alone.
 */
const catalog = loadCatalog();
const i18n = defaultI18n();

interface Entry {
  /** Plural or ordinal forms found ("one", "other"), empty for a plain text. */
  forms: Set<string>;
  ordinal: Set<string>;
  texts: string[];
  list: boolean;
}

/** Flattens a language's files to base keys ("poll.votes" for "poll.votes_one" and "poll.votes_other"). */
function entries(lang: Language): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const add = (key: string, text: string | string[]) => {
    const ordinal = /^(.*)_ordinal_(zero|one|two|few|many|other)$/.exec(key);
    const plural = ordinal ? undefined : /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
    const base = ordinal?.[1] ?? plural?.[1] ?? key;
    const entry = out.get(base) ?? { forms: new Set(), ordinal: new Set(), texts: [], list: false };
    if (ordinal?.[2]) entry.ordinal.add(ordinal[2]);
    if (plural?.[2]) entry.forms.add(plural[2]);
    entry.list ||= Array.isArray(text);
    entry.texts.push(...(Array.isArray(text) ? text : [text]));
    out.set(base, entry);
  };
  const walk = (node: MessageTree, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === "string" || Array.isArray(v)) add(key, v);
      else walk(v, key);
    }
  };
  walk(catalog[lang] ?? {}, "");
  return out;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? "");
const english = entries("en");

describe("message files", () => {
  it("have one folder per language Teambot registers, and nothing else", () => {
    const folders = readdirSync(localesDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([...languages].sort());
    expect(english.size).toBeGreaterThan(300);
  });

  describe.each(languages.map((l) => [l]))("%s", (lang) => {
    const own = entries(lang);
    const cardinal: readonly string[] = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    const ordinal: readonly string[] = new Intl.PluralRules(lang, { type: "ordinal" }).resolvedOptions().pluralCategories;

    it("has every English key and no other", () => {
      expect([...own.keys()].filter((k) => !english.has(k))).toEqual([]);
      expect([...english.keys()].filter((k) => !own.has(k))).toEqual([]);
    });

    it("has exactly the plural forms of its CLDR rules (a zero form may be added)", () => {
      const wrong: string[] = [];
      for (const [key, entry] of own) {
        const en = english.get(key);
        if (en && en.forms.size > 0) {
          const complete = cardinal.every((c) => entry.forms.has(c));
          const known = [...entry.forms].every((f) => f === "zero" || cardinal.includes(f));
          if (!complete || !known) wrong.push(`${key}: ${[...entry.forms].join(",")} (needs ${cardinal.join(",")})`);
        } else if (entry.forms.size > 0) wrong.push(`${key}: plural forms where English has none`);
        if (en && en.ordinal.size > 0 && [...entry.ordinal].sort().join(",") !== [...ordinal].sort().join(","))
          wrong.push(`${key}: ordinal ${[...entry.ordinal].join(",")} (needs ${[...ordinal].join(",")})`);
      }
      expect(wrong).toEqual([]);
    });

    it("uses the same placeholders as English in every form", () => {
      const wrong: string[] = [];
      for (const [key, entry] of own) {
        const en = english.get(key);
        if (!en || en.list) continue;
        const wanted = new Set(en.texts.flatMap(placeholders));
        for (const text of entry.texts) {
          const found = new Set(placeholders(text));
          const missing = [...wanted].filter((p) => p !== "count" && !found.has(p));
          const extra = [...found].filter((p) => !wanted.has(p));
          if (missing.length + extra.length > 0) wrong.push(`${key}: ${text}`);
        }
        const counted = entry.texts.some((t) => placeholders(t).includes("count"));
        if (wanted.has("count") && !counted && entry.forms.size === 0) wrong.push(`${key}: no {{count}}`);
      }
      expect(wrong).toEqual([]);
    });

    it("writes placeholders and bold markup well-formed", () => {
      const wrong: string[] = [];
      for (const [key, entry] of own) {
        for (const text of entry.texts) {
          const rest = text.replace(/\{\{\w+\}\}/g, "");
          if (/[{}]/.test(rest)) wrong.push(`${key}: stray brace in ${text}`);
          if ((text.split("**").length - 1) % 2 !== 0) wrong.push(`${key}: unbalanced ** in ${text}`);
          if (text !== text.trim() && !entry.list) wrong.push(`${key}: leading or trailing space`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it("gives every command examples that are that command", () => {
      const registry = new Registry(families, i18n);
      const tr = i18n.translator(lang);
      const wrong: string[] = [];
      for (const command of registry.commands) {
        for (const example of registry.commandText(command, tr).examples) {
          const found = registry.resolve(tokenize(example));
          if (found?.command !== command) wrong.push(`${command.path.join(" ")}: ${example}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  it("has a name and a description for every command, group and argument", () => {
    const registry = new Registry(families, i18n);
    const missing: string[] = [];
    for (const command of registry.commands) {
      const key = registry.commandKey(command);
      if (!i18n.has(`${key}.description`) || !i18n.has(`${key}.name`)) missing.push(key);
      const head = command.path[0] ?? "";
      if (!i18n.has(`${registry.headKey(head) ?? head}.description`)) missing.push(`family ${head}`);
      if (command.path.length === 3 && !i18n.has(`${registry.groupKey(head, command.path[1] ?? "") ?? ""}.description`))
        missing.push(`group ${command.path.slice(0, 2).join(" ")}`);
      for (const arg of Object.keys(command.args)) {
        const argKey = registry.argKey(command, arg);
        if (!i18n.has(`${argKey}.description`) || !i18n.has(`${argKey}.name`)) missing.push(`${key} ${arg}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("names English commands and options as they are typed", () => {
    const registry = new Registry(families, i18n);
    const en = i18n.translator("en");
    const wrong: string[] = [];
    for (const command of registry.commands) {
      if (registry.commandText(command, en).name !== command.path.at(-1)) wrong.push(command.path.join(" "));
      for (const arg of Object.keys(command.args)) {
        const name = registry.argText(command, arg, en).name;
        if (name !== arg.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)) wrong.push(`${command.path.join(" ")} ${arg}: ${name}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("translator", () => {
  const custom = new I18n({
    en: { x: { m: "**{{who}}** said {{what}}", hello: "Hello", bye: "Bye" } },
    de: { x: { m: "**{{who}}** sagte {{what}}", hello: "Hallo" } },
  });

  it("falls back to English for a key missing in another language", () => {
    expect(custom.translator("de").t("x.hello")).toBe("Hallo");
    expect(custom.translator("de").t("x.bye")).toBe("Bye");
  });

  it("turns **bold** into bold spans and keeps parameters as separate, unparsed spans", () => {
    const spans = custom.translator("de").tm("x.m", {
      who: { kind: "mention", member: "console:@ann", name: "ann" },
      what: "**not bold** @everyone {{x}}",
    });
    expect(spans).toEqual([
      { kind: "bold", spans: [{ kind: "mention", member: "console:@ann", name: "ann" }] },
      { kind: "text", text: " sagte **not bold** @everyone {{x}}" },
    ]);
  });

  it("uses the plural forms of the language", () => {
    const de = i18n.translator("de");
    expect(de.t("poll.turnoutVoted", { count: 1 })).toBe("1 hat abgestimmt");
    expect(de.t("poll.turnoutVoted", { count: 3 })).toBe("3 haben abgestimmt");
    expect(de.t("core.errors.duration", { count: 1, value: "x" })).toContain("(bis 1 Tag)");
    expect(i18n.translator("en").t("core.zod.tooShort", { count: 1 })).toBe("must have at least 1 character");
    expect(i18n.translator("en").t("when.nth", { count: 2, ordinal: true })).toBe("2nd");
  });

  it("writes lists and numbers as the language does", () => {
    expect(i18n.translator("en").list(["Ann", "Bob", "Carla"])).toBe("Ann, Bob and Carla");
    expect(i18n.translator("de").list(["Ann", "Bob", "Carla"])).toBe("Ann, Bob und Carla");
    expect(i18n.translator("de").number(0.45, { style: "percent" })).toBe("45\u00a0%");
  });
});

describe("right-to-left languages", () => {
  const [lri, fsi, pdi, rlm] = ["\u2066", "\u2068", "\u2069", "\u200F"];

  it("knows which languages are written right to left", () => {
    expect(languages.filter((l) => i18n.translator(l).rtl)).toEqual(["ar", "fa"]);
  });

  it("isolates #12 left to right and names by their first letter, with the exact controls", () => {
    expect(i18n.translator("ar").tm("rr.claimed.requester", { name: "Ann", id: 5 })).toEqual([
      { kind: "text", text: "يتولى " },
      { kind: "bold", spans: [{ kind: "text", text: `${fsi}Ann${pdi}` }] },
      { kind: "text", text: " طلبك " },
      { kind: "bold", spans: [{ kind: "text", text: `${lri}#5${pdi}` }] },
      { kind: "text", text: "." },
    ]);
    expect(i18n.translator("ar").t("poll.errors.notFound", { id: 12 })).toBe(`لا يوجد استطلاع ${lri}#12${pdi} في هذا الفريق.`);
  });

  it("isolates commands in bold and starts a message that opens with a name with a right-to-left mark", () => {
    expect(i18n.translator("fa").tm("task.private.hint", { id: 3 })).toEqual([
      { kind: "text", text: `در اتاق تیم: ${lri}` },
      { kind: "bold", spans: [{ kind: "text", text: `task start ${lri}3${pdi}` }] },
      { kind: "text", text: `${pdi}، ${lri}` },
      { kind: "bold", spans: [{ kind: "text", text: `task done ${lri}3${pdi}` }] },
      { kind: "text", text: `${pdi}، ${lri}` },
      { kind: "bold", spans: [{ kind: "text", text: `task info ${lri}3${pdi}` }] },
      { kind: "text", text: `${pdi}.` },
    ]);
    const mention = { kind: "mention", member: "discord:1", name: "ann" } as const;
    expect(i18n.translator("fa").tm("task.announce.taken", { actor: mention, task: "#3 Formular" })).toEqual([
      { kind: "text", text: `${rlm}${fsi}` },
      mention,
      { kind: "text", text: `${pdi} ` },
      { kind: "bold", spans: [{ kind: "text", text: `${fsi}#3 Formular${pdi}` }] },
      { kind: "text", text: " را برمی‌دارد." },
    ]);
  });

  it("leaves left-to-right languages without controls", () => {
    for (const lang of ["de", "en", "uk", "ru", "tr"] as const) {
      const text = JSON.stringify(i18n.translator(lang).tm("rr.claimed.requester", { name: "Ann", id: 5 }));
      expect(text).not.toMatch(/[\u2066-\u2069\u200F]/);
    }
  });

  it("keeps the controls through Discord's and Matrix's rendering", () => {
    const message = {
      audience: { kind: "reply" },
      lang: "ar",
      timeZone: "Europe/Berlin",
      tone: "info",
      blocks: [{ kind: "paragraph", spans: i18n.translator("ar").tm("rr.claimed.requester", { name: "Ann", id: 5 }) }],
      actions: [],
      attachments: [],
    } as const satisfies OutgoingMessage;
    const now = new Date("2026-11-25T09:00:00Z");
    expect(render(message, now).bodies[0]?.content).toBe(`يتولى **${fsi}Ann${pdi}** طلبك **${lri}#5${pdi}**.`);
    expect(renderMessage(message, now).html).toContain(`<strong>${fsi}Ann${pdi}</strong> طلبك <strong>${lri}#5${pdi}</strong>.`);
  });

  it("writes lists with isolated items", () => {
    expect(i18n.translator("ar").list(["Ann", "Bob"])).toBe(`${fsi}Ann${pdi} و${fsi}Bob${pdi}`);
  });
});
