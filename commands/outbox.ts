import { arg } from "../src/core/args.ts";
import { heading, list, paragraph, type Span, text, time } from "../src/core/message.ts";
import { renderSpansText } from "../src/core/render-text.ts";
import { expiredError, type FailedDelivery, unreadableError } from "../src/features/deliveries/service.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";

const maxPreview = 80;
/** What the outbox records for failures without a try, said in the reader's language. */
const reasonKeys: Record<string, string> = { [expiredError]: "outbox.reasons.expired", [unreadableError]: "outbox.reasons.unreadable" };

/** A failed delivery as a line: room posts with the start of their text, private messages never. */
function failedLine(ctx: Ctx, failed: FailedDelivery): Span[] {
  const target =
    failed.kind === "room" ? ctx.tr.t("outbox.room") : ctx.tr.t("outbox.private", { name: failed.targetName });
  const spans = ctx.tr.tm("outbox.line", {
    id: failed.id,
    target,
    when: time(failed.dueAt),
    error: reasonKeys[failed.error] ? ctx.tr.t(reasonKeys[failed.error] ?? "") : failed.error.slice(0, 120),
  });
  if (failed.kind !== "room") return spans;
  const first = failed.message.blocks.find((b) => b.kind === "paragraph" || b.kind === "heading");
  const words = first ? renderSpansText(first.spans, { ...failed.message, now: ctx.now }) : "";
  const preview = words.length > maxPreview ? `${words.slice(0, maxPreview - 1)}…` : words;
  return preview ? [...spans, text(` “${preview}”`)] : spans;
}

const failed = defineCommand({
  path: ["outbox", "failed"],
  isDefault: true,
  readOnly: true,
  noRoomPosts: true,
  category: "general",
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
  category: "general",
  args: { id: arg.integer({ min: 1 }).positional() },
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
  namespace: "outbox",
  commands: [failed, resend],
};
