import { describe, expect, it } from "vitest";
import { families } from "../../commands/index.ts";
import { msc3381Polls } from "../../src/adapters/matrix/poll.ts";
import { nativePollSupport } from "../../src/adapters/discord/render.ts";
import { portableNativePolls } from "../../src/core/adapter.ts";
import { actionInput } from "../../src/core/interaction.ts";
import { subjectKey, subjectOf } from "../../src/core/message.ts";
import { Registry } from "../../src/core/registry.ts";
import { nativeMisfit } from "../../src/features/polls/model.ts";

const registry = new Registry(families);

describe("interactions are data", () => {
  it("names what a keyed message shows, and reads it back", () => {
    expect(subjectKey({ feature: "poll", id: 12 })).toBe("poll:12");
    expect(subjectOf("poll:12")).toEqual({ feature: "poll", id: 12 });
    expect(subjectOf("rr:5")).toEqual({ feature: "rr", id: 5 });
    expect(subjectOf("poll:")).toBeUndefined();
    expect(subjectOf("poll:12:close")).toBeUndefined();
  });

  it("turns native poll votes into the poll family's commands, with typed values", () => {
    const poll = { feature: "poll", id: 7 };
    expect(registry.pollVoteCall(poll, { kind: "add", answer: "2" })).toEqual({
      path: ["poll", "vote"],
      values: { pollId: 7, options: ["2"], add: true },
    });
    expect(registry.pollVoteCall(poll, { kind: "remove", answer: "2" })).toEqual({
      path: ["poll", "retract"],
      values: { pollId: 7, option: "2" },
    });
    expect(registry.pollVoteCall(poll, { kind: "set", answers: ["1", "3"] })).toEqual({
      path: ["poll", "vote"],
      values: { pollId: 7, options: ["1", "3"] },
    });
    expect(registry.pollVoteCall(poll, { kind: "set", answers: [] })).toEqual({
      path: ["poll", "retract"],
      values: { pollId: 7 },
    });
    // A message of another feature has no native poll to vote in.
    expect(registry.pollVoteCall({ feature: "rr", id: 7 }, { kind: "add", answer: "1" })).toBeUndefined();
  });

  it("hands a pressed button to the core as the command's path and values", () => {
    expect(actionInput(registry, "poll vote 12 3 --add")).toEqual({
      kind: "structured",
      path: ["poll", "vote"],
      values: { pollId: "12", options: ["3"], add: true },
    });
    // Aliases resolve to the command's own path.
    expect(actionInput(registry, "aufgabe nehmen 4")).toMatchObject({ kind: "structured", path: ["task", "take"] });
    // A stale or unknown action goes to the core as typed, which explains what is wrong.
    expect(actionInput(registry, "poll explode 1")).toEqual({ kind: "text", text: "poll explode 1", requirePrefix: false });
    // Sentence-like commands need the member's language and zone to split their words.
    expect(actionInput(registry, "remind me tomorrow 9:00 call")).toMatchObject({ kind: "text" });
  });

  it("decides native polls from what the platform can show", () => {
    const poll = {
      question: "Lunch?",
      options: ["A", "B", "C", "D"],
      maxSelections: 2,
      anonymous: false,
      hidden: true,
      now: new Date(0),
    };
    // Discord: results always show, and it knows one answer or all.
    expect(nativeMisfit(poll, nativePollSupport)).toBe("hidden");
    expect(nativeMisfit({ ...poll, hidden: false }, nativePollSupport)).toBe("selections");
    // Matrix: undisclosed polls and any number of answers, but everyone reads the votes.
    expect(nativeMisfit(poll, msc3381Polls)).toBeUndefined();
    expect(nativeMisfit({ ...poll, anonymous: true }, msc3381Polls)).toBe("anonymous");
    expect(nativeMisfit({ ...poll, options: Array.from({ length: 20 }, (_, i) => `o${i}`) }, msc3381Polls)).toBeUndefined();
    // A platform without polls, and the console's portable limits.
    expect(nativeMisfit({ ...poll, hidden: false, maxSelections: 1 }, false)).toBe("unsupported");
    expect(nativeMisfit({ ...poll, hidden: false, maxSelections: 1 }, portableNativePolls)).toBeUndefined();
  });
});
