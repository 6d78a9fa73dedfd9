import { arg } from "../src/core/args.ts";
import { defineLocales } from "../src/core/i18n.ts";
import { heading, list, paragraph, type Span, text, time } from "../src/core/message.ts";
import { renderSpansText } from "../src/core/render-text.ts";
import type { FailedDelivery } from "../src/features/deliveries/service.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";

const locales = defineLocales(
  "outbox",
  {
    title: "Failed deliveries of this team",
    none: "No message of this team failed to be delivered.",
    line: "**#{{id}}** to {{target}}, meant for {{when}}: {{error}}",
    room: "the team room",
    private: "{{name}} (private message)",
    hint: "Send one again with **outbox resend <number>**; it goes out after what is queued now.",
    resent: "✅ Message **#{{id}}** was sent again.",
    queued: "Message **#{{id}}** is queued to be sent again.",
    errors: { notFound: "This team has no failed delivery #{{id}}. **outbox failed** lists them." },
  },
  {
    title: "Fehlgeschlagene Zustellungen dieses Teams",
    none: "Keine Nachricht dieses Teams ist bei der Zustellung gescheitert.",
    line: "**#{{id}}** an {{target}}, gedacht für {{when}}: {{error}}",
    room: "den Team-Raum",
    private: "{{name}} (private Nachricht)",
    hint: "Mit **outbox resend <Nummer>** erneut senden; sie geht nach dem raus, was gerade ansteht.",
    resent: "✅ Nachricht **#{{id}}** wurde erneut gesendet.",
    queued: "Nachricht **#{{id}}** wartet darauf, erneut gesendet zu werden.",
    errors: { notFound: "Dieses Team hat keine fehlgeschlagene Zustellung #{{id}}. **outbox failed** zeigt sie." },
  },
);

const maxPreview = 80;

/** A failed delivery as a line: room posts with the start of their text, private messages never. */
function failedLine(ctx: Ctx, failed: FailedDelivery): Span[] {
  const target =
    failed.kind === "room" ? ctx.tr.t("outbox.room") : ctx.tr.t("outbox.private", { name: failed.targetName });
  const spans = ctx.tr.tm("outbox.line", {
    id: failed.id,
    target,
    when: time(failed.dueAt),
    error: failed.error.slice(0, 120),
  });
  if (failed.kind !== "room") return spans;
  const first = failed.message.blocks.find((b) => b.kind === "paragraph" || b.kind === "heading");
  const words = first ? renderSpansText(first.spans, { ...failed.message, now: ctx.now }) : "";
  const preview = words.length > maxPreview ? `${words.slice(0, maxPreview - 1)}…` : words;
  return preview ? [...spans, text(` “${preview}”`)] : spans;
}

const failed = defineCommand({
  path: ["outbox", "failed"],
  aliases: [["postausgang", "fehlgeschlagen"]],
  names: { de: "fehlgeschlagen" },
  isDefault: true,
  readOnly: true,
  noRoomPosts: true,
  category: "general",
  description: {
    en: "Coordinators: messages of this team that could not be delivered",
    de: "Koordination: Nachrichten dieses Teams, die nicht zugestellt werden konnten",
  },
  args: {},
  async handler(ctx) {
    const rows = await ctx.services.deliveries.failed(scopeOf(ctx));
    if (rows.length === 0) return ctx.ephemeral([paragraph(ctx.tr.t("outbox.none"))]);
    return ctx.ephemeral([
      heading(ctx.tr.t("outbox.title")),
      list(rows.map((row) => failedLine(ctx, row))),
      paragraph(...ctx.tr.tm("outbox.hint")),
    ]);
  },
});

const resend = defineCommand({
  path: ["outbox", "resend"],
  aliases: [["postausgang", "erneut"]],
  names: { de: "erneut" },
  category: "general",
  description: {
    en: "Coordinators: send a failed message again",
    de: "Koordination: eine fehlgeschlagene Nachricht erneut senden",
  },
  args: {
    id: arg
      .integer({ en: "Its number in outbox failed", de: "Ihre Nummer in outbox failed" }, { min: 1 })
      .positional()
      .names({ de: "nummer" }),
  },
  examples: ["outbox resend 12"],
  async handler(ctx, args) {
    const message = await ctx.services.deliveries.resend(scopeOf(ctx), args.id);
    return [
      message,
      ctx.ephemeral([paragraph(...ctx.tr.tm("outbox.resent", { id: args.id }))], {
        tone: "success",
        whenHeld: [paragraph(...ctx.tr.tm("outbox.queued", { id: args.id }))],
      }),
    ];
  },
});

export const outboxFamily: Family = {
  name: "outbox",
  description: { en: "Messages that could not be delivered", de: "Nachrichten, die nicht zugestellt werden konnten" },
  commands: [failed, resend],
  locales,
};
