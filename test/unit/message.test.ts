import { describe, expect, it } from "vitest";
import {
  bold,
  list,
  mention,
  mentionedMembers,
  type OutgoingMessage,
  outgoingMessageSchema,
  paragraph,
  pre,
  time,
} from "../../src/core/message.ts";
import { renderText } from "../../src/core/render-text.ts";

const message = (blocks: OutgoingMessage["blocks"]): OutgoingMessage => ({
  audience: { kind: "room", room: "console:main" },
  lang: "de",
  timeZone: "Europe/Berlin",
  tone: "info",
  blocks,
  actions: [],
  attachments: [],
});

/** The instant these renders happen at (pinned). */
const renderedAt = new Date("2027-01-12T09:00:00Z");

describe("message model", () => {
  it("renders plain text with times in the reader's zone and language", () => {
    const m = message([
      paragraph(bold("Treffen"), " am ", time(new Date("2027-03-28T07:00:00Z"))),
      list([["eins"], [mention("console:@ann", "ann")]]),
      pre("a | b"),
    ]);
    expect(renderText(m, renderedAt)).toBe("*Treffen* am So., 28. März 2027, 09:00 MESZ\n• eins\n• @ann\na | b");
  });

  it("keeps whole-day dates on their date in every zone", () => {
    const day = new Date("2027-05-01T00:00:00Z");
    const kabul = { ...message([paragraph(time(day, "date", true))]), timeZone: "America/Los_Angeles" };
    expect(renderText(kabul, renderedAt)).toContain("1. Mai 2027");
  });

  it("renders relative times against the given instant, not the machine's clock", () => {
    const m = message([paragraph(time(new Date("2027-03-28T09:00:00Z"), "relative"))]);
    expect(renderText(m, new Date("2027-03-28T07:00:00Z"))).toBe("in 2 Stunden");
    expect(renderText(m, new Date("2027-03-29T09:00:00Z"))).toBe("vor 1 Tag");
  });

  it("notifies exactly the mentioned members, whatever the text says", () => {
    const m = message([paragraph("@everyone @here @room ", bold(mention("discord:1", "ann")))]);
    expect(mentionedMembers(m)).toEqual(["discord:1"]);
  });

  it("survives a JSON round trip through its schema (stored deliveries)", () => {
    const m = message([paragraph(time(new Date("2027-01-01T10:00:00Z")))]);
    const back = outgoingMessageSchema.parse(JSON.parse(JSON.stringify(m)));
    expect(back).toEqual(m);
  });
});
