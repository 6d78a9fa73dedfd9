import { describe, expect, it } from "vitest";
import { escapeText, pack, render, renderActions } from "../../src/adapters/discord/render.ts";
import { truncate } from "../../src/adapters/discord/text.ts";
import {
  action,
  bold,
  code,
  heading,
  italic,
  link,
  list,
  mention,
  type OutgoingMessage,
  paragraph,
  pre,
  time,
} from "../../src/core/message.ts";

/** The instant these renders happen at (pinned: nothing here may depend on the real date). */
const renderedAt = new Date("2027-01-12T09:00:00Z");

const message = (extra: Partial<OutgoingMessage>): OutgoingMessage => ({
  audience: { kind: "reply" },
  lang: "en",
  timeZone: "Europe/Berlin",
  tone: "info",
  blocks: [],
  actions: [],
  attachments: [],
  ...extra,
});

const contentOf = (m: OutgoingMessage) =>
  render(m, new Date("2026-11-21T12:00:00Z")).bodies.map((b) => b.content);

describe("Discord rendering of the message model", () => {
  it("renders markup as Discord markdown and escapes user text", () => {
    const [content] = contentOf(
      message({
        tone: "success",
        blocks: [
          heading("Poll ", bold("*Lunch*")),
          paragraph(italic("for"), " ", code("a`b"), " __x__ [click](https://evil.example) # no"),
          list([["one"], ["- two"]], true),
          list([[link("https://example.org/a_b", "Docs")], [link("javascript:alert(1)", "bad")]]),
        ],
      }),
    );
    expect(content).toBe(
      [
        "✅ ### Poll **\\*Lunch\\***",
        "*for* `aˋb` \\_\\_x\\_\\_ \\[click](https://evil.example) # no",
        "1. one",
        "2. \\- two",
        "- [Docs](<https://example.org/a_b>)",
        "- bad (javascript:alert(1))",
      ].join("\n"),
    );
  });

  it("neutralizes @everyone, @here and raw mention syntax; allows exactly the mentioned members", () => {
    const rendered = render(
      message({
        blocks: [
          paragraph(
            mention("discord:123456789012345678", "Ann"),
            " @everyone @HERE <@987654321098765432> <@&55555> ",
            mention("matrix:@bob:example.org", "Bob"),
          ),
        ],
      }), renderedAt
    );
    const body = rendered.bodies[0];
    expect(body?.content).toBe(
      "<@123456789012345678> @\u200beveryone @\u200bHERE <\u200b@987654321098765432> <\u200b@&55555> @Bob",
    );
    expect(body?.allowed_mentions).toEqual({ parse: [], users: ["123456789012345678"], replied_user: false });
    expect(escapeText("@everyone")).not.toContain("@everyone");
    expect(escapeText("poll vote 1 <number> <t:0:R> <a:x:1>")).toBe("poll vote 1 <number> <\u200bt:0:R> <\u200ba:x:1>");
    expect(escapeText("# Big\n> quote\n-# small")).toBe("\\# Big\n\\> quote\n\\-# small");
  });

  it("shows instants as Discord timestamps with the relative time; all-day dates as dates", () => {
    const at = new Date("2026-12-01T09:30:00Z");
    const unix = at.getTime() / 1000;
    const [content] = contentOf(
      message({
        blocks: [
          paragraph(time(at)),
          paragraph(time(at, "date")),
          paragraph(time(at, "relative")),
          paragraph(time(at, "time")),
          paragraph(time(new Date("2026-12-24T00:00:00Z"), "datetime", true)),
        ],
      }),
    );
    expect(content?.split("\n")).toEqual([
      `<t:${unix}:F>`,
      `<t:${unix}:D>`,
      `<t:${unix}:R>`,
      expect.stringContaining("10:30"),
      expect.stringContaining("24 Dec 2026"),
    ]);
  });

  it("splits long text into messages of at most 2000 characters without losing any", () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`);
    const contents = contentOf(message({ blocks: [paragraph(words.join(" ")), pre("x".repeat(2500))] }));
    expect(contents.length).toBeGreaterThan(2);
    for (const c of contents) expect(c.length).toBeLessThanOrEqual(2000);
    const joined = contents.join(" ");
    for (const w of words) expect(joined).toContain(w);
    // Preformatted text stays fenced in every piece.
    const fencedPieces = contents.filter((c) => c.includes("```"));
    expect(fencedPieces.length).toBeGreaterThanOrEqual(2);
    for (const c of fencedPieces) expect(c.match(/```/g)?.length).toBe(2);
    expect(pack(["a".repeat(10), "b".repeat(10)], 15)).toEqual(["a".repeat(10), "b".repeat(10)]);
    expect(pack(["\\*\\*\\*\\*"], 5).every((p) => !p.endsWith("\\") || p.endsWith("\\\\"))).toBe(true);
  });

  it("keeps code fences in preformatted text from closing the block", () => {
    const [content] = contentOf(message({ blocks: [pre("a\n```\n@everyone")] }));
    expect(content).toBe("```\na\n`\u200b``\n@everyone\n```");
  });

  it("puts buttons on the last message; long commands and the 26th button become lines to type", () => {
    const many = Array.from({ length: 27 }, (_, i) => action(`Task ${i}`, `task take ${i}`));
    const rendered = render(
      message({
        blocks: [paragraph("Tasks")],
        actions: [action("Long", `help ${"x".repeat(120)}`, "danger"), ...many],
      }), renderedAt
    );
    const body = rendered.bodies.at(-1);
    expect(body?.components).toHaveLength(5);
    const buttons = body?.components?.flatMap((r) => r.components) ?? [];
    expect(buttons).toHaveLength(25);
    expect(buttons[0]).toEqual({ type: 2, style: 2, label: "Task 0", custom_id: "tb1:task take 0" });
    expect(body?.content).toContain("▸ **Long**: `/help xxx");
    expect(body?.content).toContain("`/task take 25`");
    expect(body?.content).toContain("`/task take 26`");
  });

  it("renders a native poll, and lists the answers when Discord cannot show it natively", () => {
    const now = new Date("2026-11-21T12:00:00Z");
    const poll = {
      pollId: "3",
      question: "Where?",
      answers: [
        { id: "1", text: "Office" },
        { id: "2", text: "x".repeat(80) },
      ],
      maxSelections: 2,
      disclosed: true,
      closesAt: new Date("2026-11-22T12:30:00Z"),
    };
    const native = render(message({ blocks: [paragraph("Vote")], poll }), now).bodies[0];
    expect(native?.poll).toMatchObject({
      question: { text: "Where?" },
      duration: 25,
      allow_multiselect: true,
      answers: [{ poll_media: { text: "Office" } }, { poll_media: { text: `${"x".repeat(54)}…` } }],
    });
    const answers = Array.from({ length: 12 }, (_, i) => ({ id: String(i + 1), text: `Option ${i + 1}` }));
    const fallback = render(message({ blocks: [], poll: { ...poll, answers } }), now).bodies[0];
    expect(fallback?.poll).toBeUndefined();
    expect(fallback?.content).toContain("12. Option 12");
  });

  it("attaches files to the last message", () => {
    const rendered = render(
      message({
        blocks: [paragraph("Invite")],
        attachments: [
          { filename: "../meeting.ics", contentType: "text/calendar", content: "BEGIN:VCALENDAR" },
        ],
      }), renderedAt
    );
    expect(rendered.files).toEqual([
      { name: "meeting.ics", data: Buffer.from("BEGIN:VCALENDAR"), contentType: "text/calendar" },
    ]);
    expect(rendered.bodies[0]?.attachments).toEqual([{ id: 0, filename: "meeting.ics" }]);
  });

  it("cuts labels, poll texts and long lines between characters, never inside an emoji", () => {
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const family = "👩‍👩‍👧";
    for (const tail of ["😀 more", "🇩🇪 more", `${family} more`, "e\u0301 more"]) {
      for (let pad = 70; pad < 80; pad++) {
        const label = truncate(`${"a".repeat(pad)}${tail}`, 80);
        expect(label.length).toBeLessThanOrEqual(80);
        expect(label).not.toMatch(lone);
        // A grapheme is kept whole or left out whole.
        expect(label.includes("\u200d") ? label.includes(family) : true).toBe(true);
        expect(label.includes("e") && label.endsWith("e…")).toBe(false);
      }
    }
    const { rows } = renderActions([action(`${"a".repeat(77)}😀 and more`, "poll vote 1 1")]);
    expect(rows[0]?.components[0]?.label).toBe(`${"a".repeat(77)}😀…`);
    expect(renderActions([action(`${"a".repeat(78)}😀 and more`, "x")]).rows[0]?.components[0]?.label).toBe(`${"a".repeat(78)}…`);
    const pieces = pack(["😀".repeat(1500)]);
    expect(pieces.join("")).toBe("😀".repeat(1500));
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(2000);
      expect(piece).not.toMatch(lone);
    }
  });
});
