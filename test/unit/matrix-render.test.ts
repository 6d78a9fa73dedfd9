import { MatrixError } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { editContent, messageContent } from "../../src/adapters/matrix/content.ts";
import {
  choiceNumber,
  isCommandText,
  pillsToIds,
  readMessage,
  readReaction,
  stripReplyFallback,
} from "../../src/adapters/matrix/incoming.ts";
import { inviteAllowed, MatrixAdapter, roomIdOf } from "../../src/adapters/matrix/matrix-adapter.ts";
import { parsePollResponse, pollStartContent } from "../../src/adapters/matrix/poll.ts";
import { neutralize, prefixCommands, renderMessage } from "../../src/adapters/matrix/render.ts";
import { retryDelay } from "../../src/adapters/matrix/retry.ts";
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

/** The instant these renders happen at (pinned). */
const renderedAt = new Date("2027-01-12T09:00:00Z");

function msg(extra: Partial<OutgoingMessage>): OutgoingMessage {
  return {
    audience: { kind: "reply" },
    lang: "en",
    timeZone: "Europe/Berlin",
    tone: "info",
    blocks: [],
    actions: [],
    attachments: [],
    ...extra,
  };
}

describe("Matrix rendering", () => {
  it("renders the message model as HTML and a plain body", () => {
    const r = renderMessage(
      msg({
        blocks: [
          heading("Poll ", bold("#3")),
          paragraph("By ", mention("matrix:@ann:example.org", "Ann"), ", ", italic("soon"), " ", code("a<b")),
          list([["one"], ["two & three"]], true),
          pre("| x | <y> |"),
          paragraph(link("https://example.org/a?b=1&c=2", "docs"), " ", link("javascript:alert(1)", "bad")),
        ],
      }), renderedAt
    );
    expect(r.html).toBe(
      [
        "<h3>Poll <strong>#3</strong></h3>",
        '<p>By <a href="https://matrix.to/#/@ann:example.org">Ann</a>, <em>soon</em> <code>a&lt;b</code></p>',
        "<ol><li>one</li><li>two &amp; three</li></ol>",
        "<pre><code>| x | &lt;y&gt; |</code></pre>",
        '<p><a href="https://example.org/a?b=1&amp;c=2">docs</a> bad (javascript:alert(1))</p>',
      ].join(""),
    );
    expect(r.body).toContain("POLL *#3*");
    expect(r.body).toContain("By @Ann, _soon_ `a<b`");
    expect(r.body).toContain("1. one\n2. two & three");
    expect(r.userIds).toEqual(["@ann:example.org"]);
  });

  it("escapes user text and breaks @room everywhere, also in mention names", () => {
    const r = renderMessage(
      msg({
        blocks: [paragraph('<img src=x onerror="alert(1)"> @room @Room', mention("matrix:@x:y", "@room"))],
      }), renderedAt
    );
    expect(r.html).not.toContain("<img");
    expect(r.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(r.html).not.toMatch(/@room/i);
    expect(r.body).not.toMatch(/@room/i);
    expect(neutralize("mail@roomservice.example @room.")).toBe("mail@roomservice.example @\u2060room.");
  });

  it("mentions only matrix members: other references stay plain text", () => {
    const r = renderMessage(
      msg({ blocks: [paragraph(mention("discord:123", "Bo"), mention("matrix:nonsense", "X"))] }), renderedAt
    );
    expect(r.userIds).toEqual([]);
    expect(r.html).toBe("<p>@Bo@X</p>");
  });

  it("marks the tone and lists actions as numbered choices with their commands", () => {
    const r = renderMessage(
      msg({
        tone: "success",
        blocks: [paragraph("Saved")],
        actions: [action("Vote Tue", "meeting vote 2 1 yes"), action("<Skip>", "/meeting vote 2 1 no")],
      }), renderedAt
    );
    expect(r.body).toBe(
      "✔ Saved\n\nReply to this message with the number, or send the command:\n1. Vote Tue – !meeting vote 2 1 yes\n2. <Skip> – !meeting vote 2 1 no",
    );
    expect(r.html).toContain("<p>✔ Saved</p>");
    expect(r.html).toContain("<li>&lt;Skip&gt; – <code>!meeting vote 2 1 no</code></li>");
  });

  it("shows times in the reader's zone and language", () => {
    const r = renderMessage(
      msg({ lang: "de", blocks: [paragraph(time(new Date("2026-12-01T17:00:00Z"), "time"))] }), renderedAt
    );
    expect(r.body).toContain("18:00");
  });

  it("builds replies, edits and choices contents", () => {
    const m = msg({ blocks: [paragraph("Hi")], actions: [action("A", "rr claim 1")] });
    const c = messageContent(m, renderedAt, { eventId: "$cmd" });
    expect(c).toMatchObject({
      msgtype: "m.text",
      format: "org.matrix.custom.html",
      "m.relates_to": { "m.in_reply_to": { event_id: "$cmd" } },
      "m.mentions": { user_ids: [] },
      "org.teambot.choices": ["rr claim 1"],
    });
    const e = editContent(m, "$old", renderedAt);
    expect(e["m.relates_to"]).toEqual({ rel_type: "m.replace", event_id: "$old" });
    expect((e["m.new_content"] as Record<string, unknown>)["m.relates_to"]).toBeUndefined();
  });
});

describe("Matrix command hints", () => {
  it("puts ! before command lines in bold or code, also when the line was built from several spans", () => {
    const isCommand = (t: string) => /^(task|help)\b/.test(t);
    const m = msg({
      blocks: [
        {
          kind: "paragraph",
          spans: [
            { kind: "text", text: "In the room: " },
            { kind: "bold", spans: [{ kind: "text", text: "task start " }, { kind: "text", text: "3" }] },
            { kind: "text", text: " or " },
            { kind: "code", text: "help task" },
            { kind: "text", text: " – " },
            { kind: "bold", spans: [{ kind: "text", text: "Pizza" }] },
            { kind: "code", text: "!help" },
          ],
        },
      ],
    });
    const r = renderMessage(prefixCommands(m, isCommand), renderedAt);
    expect(r.body).toBe("In the room: *!task start 3* or `!help task` – *Pizza*`!help`");
  });
});

describe("Matrix input", () => {
  it("reads commands, skipping edits, notices and reply fallbacks", () => {
    expect(readMessage({ msgtype: "m.text", body: "!help" })).toEqual({ text: "!help" });
    expect(readMessage({ msgtype: "m.notice", body: "!help" })).toBeUndefined();
    expect(readMessage({ msgtype: "m.text", body: 5 })).toBeUndefined();
    expect(
      readMessage({
        msgtype: "m.text",
        body: "* !help",
        "m.relates_to": { rel_type: "m.replace", event_id: "$a" },
      }),
    ).toBeUndefined();
    expect(
      readMessage({
        msgtype: "m.text",
        body: "> <@bot:x> Choose\n> more\n\n2",
        "m.relates_to": { "m.in_reply_to": { event_id: "$offer" } },
      }),
    ).toEqual({ text: "2", replyTo: "$offer" });
    expect(
      readMessage({
        msgtype: "m.text",
        body: "2",
        "m.relates_to": {
          rel_type: "m.thread",
          event_id: "$root",
          is_falling_back: true,
          "m.in_reply_to": { event_id: "$last" },
        },
      }),
    ).toEqual({ text: "2", thread: "$root" });
    expect(stripReplyFallback("no quote")).toBe("no quote");
    expect(isCommandText("  !poll create")).toBe(true);
    expect(isCommandText("/umfrage")).toBe(true);
    expect(isCommandText("! ")).toBe(false);
    expect(isCommandText("hello !help")).toBe(false);
  });

  it("turns pills into user ids and keeps the rest as typed", () => {
    expect(
      pillsToIds(
        "!task assign 2 Ann &amp; Co and Bob",
        '!task assign 2 <a href="https://matrix.to/#/@ann:x.org">Ann &amp;amp; Co</a> and <a href="https://matrix.to/#/%40bob%3Ax.org">Bob</a>',
      ),
    ).toBe("!task assign 2 @ann:x.org and @bob:x.org");
  });

  it("puts the user id at the pill's place only, not where the name also occurs", () => {
    // Element: body "... ben", HTML with the pill at the end; "Ruben" must stay "Ruben".
    expect(
      pillsToIds(
        '!task add "Call Ruben about housing" ben',
        '!task add &quot;Call Ruben about housing&quot; <a href="https://matrix.to/#/@ben:localhost">ben</a>',
      ),
    ).toBe('!task add "Call Ruben about housing" @ben:localhost');
    expect(
      pillsToIds(
        "ben: ben, please",
        '<a href="https://matrix.to/#/@ben:x.org">ben</a>: ben, please',
      ),
    ).toBe("@ben:x.org: ben, please");
    // The reply quote in the HTML is not part of what was typed.
    expect(
      pillsToIds(
        "!task assign 3 Ann",
        '<mx-reply><blockquote>Task <a href="https://matrix.to/#/@bob:x.org">Bob</a></blockquote></mx-reply>!task assign 3 <a href="https://matrix.to/#/@ann:x.org">Ann</a>',
      ),
    ).toBe("!task assign 3 @ann:x.org");
    // Without pills the plain body is the text.
    expect(pillsToIds("!help <b>", "!help &lt;b&gt;")).toBe("!help <b>");
  });

  it("reads choice numbers and keycap reactions", () => {
    expect(choiceNumber("2")).toBe(2);
    expect(choiceNumber(" #3 ")).toBe(3);
    expect(choiceNumber("2 please")).toBeUndefined();
    expect(readReaction({ "m.relates_to": { rel_type: "m.annotation", event_id: "$e", key: "3️⃣" } })).toEqual({
      eventId: "$e",
      choice: 3,
    });
    expect(
      readReaction({ "m.relates_to": { rel_type: "m.annotation", event_id: "$e", key: "3\u20E3" } }),
    ).toEqual({
      eventId: "$e",
      choice: 3,
    });
    expect(
      readReaction({ "m.relates_to": { rel_type: "m.annotation", event_id: "$e", key: "👍" } }),
    ).toBeUndefined();
  });

  it("reads MSC3381 responses, unstable and stable, and makes the vote command", () => {
    const rel = { "m.relates_to": { rel_type: "m.reference", event_id: "$poll" } };
    expect(
      parsePollResponse({ ...rel, "org.matrix.msc3381.poll.response": { answers: ["1", "1", 3, "2"] } }),
    ).toEqual({ startEventId: "$poll", answers: ["1", "2"] });
    expect(parsePollResponse({ ...rel, "m.selections": [] })).toEqual({ startEventId: "$poll", answers: [] });
    // Stable, as matrix-js-sdk's PollResponseEvent sends it.
    expect(parsePollResponse({ ...rel, "m.poll.response": { answers: ["2"] } })).toEqual({
      startEventId: "$poll",
      answers: ["2"],
    });
    expect(parsePollResponse({ "m.selections": ["1"] })).toBeUndefined();
  });

  it("caps max_selections to the answers and keeps ids", () => {
    const c = pollStartContent(msg({}), {
      pollId: "9",
      question: "Q",
      answers: [{ id: "1", text: "A" }],
      maxSelections: 5,
      disclosed: false,
    });
    expect(c["org.matrix.msc3381.poll.start"]).toMatchObject({
      kind: "org.matrix.msc3381.poll.undisclosed",
      max_selections: 1,
    });
  });
});

describe("Matrix adapter helpers", () => {
  it("accepts invites by server or user, everyone when the list is empty", () => {
    expect(inviteAllowed("@ann:example.org", [])).toBe(true);
    expect(inviteAllowed("@ann:example.org", ["example.org"])).toBe(true);
    expect(inviteAllowed("@ann:Example.org", ["@ann:example.org"])).toBe(true);
    expect(inviteAllowed("@bob:example.org", ["@ann:example.org", "other.org"])).toBe(false);
    expect(inviteAllowed("@eve:evil.example.org", ["example.org"])).toBe(false);
  });

  it("parses mentions and room references", () => {
    const adapter = new MatrixAdapter({} as never);
    expect(adapter.parseMention("@ann:example.org")).toBe("matrix:@ann:example.org");
    expect(adapter.parseMention("https://matrix.to/#/@ann:example.org")).toBe("matrix:@ann:example.org");
    expect(adapter.parseMention("matrix:@ann:example.org")).toBe("matrix:@ann:example.org");
    expect(adapter.parseMention("ann")).toBeUndefined();
    expect(roomIdOf("matrix:!abc:example.org")).toBe("!abc:example.org");
    expect(() => roomIdOf("discord:1/2")).toThrow();
  });

  it("retries rate limits, server errors and lost connections, nothing else", () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    const limited = new MatrixError({ errcode: "M_LIMIT_EXCEEDED", error: "slow", retry_after_ms: 700 }, 429);
    expect(retryDelay(limited, 1, policy)).toBe(700);
    const long = new MatrixError({ errcode: "M_LIMIT_EXCEEDED", error: "slow", retry_after_ms: 90_000 }, 429);
    expect(retryDelay(long, 1, policy)).toBe(1000);
    expect(retryDelay(new MatrixError({ errcode: "M_UNKNOWN" }, 502), 3, policy)).toBe(400);
    expect(retryDelay(new MatrixError({ errcode: "M_FORBIDDEN" }, 403), 1, policy)).toBeUndefined();
    expect(retryDelay(new Error("bug"), 1, policy)).toBeUndefined();
  });
});
