import type { Block, OutgoingMessage, Span } from "./message.ts";
import { formatInstant, intlLocale } from "./time.ts";

/**
 * Plain-text rendering: the console's output and every adapter's fallback body. Bold and
 * italic become *stars* and _underscores_ only as decoration; text is never interpreted.
 */
/** What rendering needs besides the spans: the reader's language and zone, and "now" for relative times. */
export type TextContext = Pick<OutgoingMessage, "lang" | "timeZone"> & { now: Date };

export function renderSpansText(list: Span[], message: TextContext): string {
  return list.map((s) => renderSpanText(s, message)).join("");
}

function renderSpanText(s: Span, message: TextContext): string {
  switch (s.kind) {
    case "text":
      return s.text;
    case "bold":
      return `*${renderSpansText(s.spans, message)}*`;
    case "italic":
      return `_${renderSpansText(s.spans, message)}_`;
    case "code":
      return `\`${s.text}\``;
    case "mention":
      return `@${s.name}`;
    case "time":
      return formatInstant(
        s.at,
        s.allDay ? "date" : s.style,
        message.lang,
        s.allDay ? "UTC" : message.timeZone,
        message.now,
      );
    case "link":
      return s.label === s.url ? s.url : `${s.label} (${s.url})`;
  }
}

export function renderBlockText(block: Block, message: TextContext): string {
  switch (block.kind) {
    case "paragraph":
      return renderSpansText(block.spans, message);
    case "heading":
      // Headings shout, by the rules of the reader's language ("i" -> "İ" in Turkish); commands keep their case.
      return block.spans
        .map((s) => (s.kind === "code" ? renderSpanText(s, message) : renderSpanText(s, message).toLocaleUpperCase(intlLocale(message.lang))))
        .join("");
    case "list":
      return block.items
        .map((item, i) => `${block.ordered ? `${i + 1}.` : "•"} ${renderSpansText(item, message)}`)
        .join("\n");
    case "pre":
      return block.text;
  }
}

export function renderText(message: Pick<OutgoingMessage, "lang" | "timeZone" | "blocks">, now: Date): string {
  const context = { lang: message.lang, timeZone: message.timeZone, now };
  return message.blocks.map((b) => renderBlockText(b, context)).join("\n");
}
