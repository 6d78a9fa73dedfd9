import type { Action, Block, OutgoingMessage, Span } from "../../core/message.ts";
import { normalizeInput, tokenize } from "../../core/parse.ts";
import type { Registry } from "../../core/registry.ts";
import { renderText, type TextContext } from "../../core/render-text.ts";
import { formatInstant } from "../../core/time.ts";
import { defaultI18n } from "../../core/catalog.ts";

/** A message as Matrix shows it: plain `body`, `formatted_body` HTML, and whom it notifies. */
export interface Rendered {
  body: string;
  html: string;
  /** Matrix user ids of the mention spans, exactly: the `m.mentions.user_ids`. */
  userIds: string[];
}

const userIdPattern = /^@[^:\s]+:[^\s]+$/;

/** The Matrix user id of a member reference ("matrix:@ann:example.org"), or undefined. */
export function matrixUserId(ref: string): string | undefined {
  if (!ref.startsWith("matrix:")) return undefined;
  const id = ref.slice("matrix:".length);
  return userIdPattern.test(id) ? id : undefined;
}

/** Breaks "@room" so no client or push rule reads it as a room-wide mention. */
export function neutralize(text: string): string {
  return text.replace(/@(room)\b/gi, "@\u2060$1");
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** User or bot text as HTML: escaped, mass mentions broken, line breaks kept. */
function safe(text: string): string {
  return escapeHtml(neutralize(text)).replace(/\n/g, "<br>");
}

const toneMark: Record<OutgoingMessage["tone"], string> = {
  info: "",
  success: "✔ ",
  warning: "⚠ ",
  error: "✖ ",
};

/** The tone as a leading mark in the first paragraph or heading, as the console shows it. */
function withToneMark(message: OutgoingMessage): OutgoingMessage {
  const mark = toneMark[message.tone];
  const first = message.blocks[0];
  if (!mark || !first || (first.kind !== "paragraph" && first.kind !== "heading")) return message;
  const marked: Block = { ...first, spans: [{ kind: "text", text: mark }, ...first.spans] };
  return { ...message, blocks: [marked, ...message.blocks.slice(1)] };
}

function spanHtml(s: Span, message: TextContext, userIds: Set<string>): string {
  switch (s.kind) {
    case "text":
      return safe(s.text);
    case "bold":
      return `<strong>${spansHtml(s.spans, message, userIds)}</strong>`;
    case "italic":
      return `<em>${spansHtml(s.spans, message, userIds)}</em>`;
    case "code":
      return `<code>${escapeHtml(neutralize(s.text))}</code>`;
    case "mention": {
      const id = matrixUserId(s.member);
      if (!id) return safe(`@${s.name}`);
      userIds.add(id);
      return `<a href="https://matrix.to/#/${escapeHtml(id)}">${safe(s.name || id)}</a>`;
    }
    case "time":
      return safe(
        formatInstant(
          s.at,
          s.allDay ? "date" : s.style,
          message.lang,
          s.allDay ? "UTC" : message.timeZone,
          message.now,
        ),
      );
    case "link":
      return /^https?:\/\/[^\s"<>]+$/i.test(s.url)
        ? `<a href="${escapeHtml(s.url)}">${safe(s.label)}</a>`
        : safe(s.label === s.url ? s.url : `${s.label} (${s.url})`);
  }
}

function spansHtml(list: Span[], message: TextContext, userIds: Set<string>): string {
  return list.map((s) => spanHtml(s, message, userIds)).join("");
}

function blockHtml(block: Block, message: TextContext, userIds: Set<string>): string {
  switch (block.kind) {
    case "paragraph":
      return `<p>${spansHtml(block.spans, message, userIds)}</p>`;
    case "heading":
      return `<h3>${spansHtml(block.spans, message, userIds)}</h3>`;
    case "list": {
      const tag = block.ordered ? "ol" : "ul";
      const items = block.items.map((item) => `<li>${spansHtml(item, message, userIds)}</li>`).join("");
      return `<${tag}>${items}</${tag}>`;
    }
    case "pre":
      return `<pre><code>${escapeHtml(neutralize(block.text))}</code></pre>`;
  }
}

/**
 * Command lines the text shows in bold or code ("**task start 3**", as the features write
 * them) get the `!` a Matrix member must type; `isCommand` says what is a command line.
 */
export function prefixCommands(message: OutgoingMessage, isCommand: (text: string) => boolean): OutgoingMessage {
  const fix = (span: Span): Span => {
    if (span.kind === "code") return isCommand(span.text) ? { ...span, text: `!${span.text}` } : span;
    if (span.kind !== "bold" && span.kind !== "italic") return span;
    // "**task start {{id}}**" arrives as several text spans: read them as one line.
    let plain: string | undefined = "";
    for (const s of span.spans) plain = s.kind === "text" && plain !== undefined ? plain + s.text : undefined;
    if (plain !== undefined && isCommand(plain)) return { ...span, spans: [{ kind: "text", text: `!${plain}` }] };
    return { ...span, spans: span.spans.map(fix) };
  };
  const blocks = message.blocks.map((b): Block => {
    if (b.kind === "list") return { ...b, items: b.items.map((item) => item.map(fix)) };
    if (b.kind === "pre") return b;
    return { ...b, spans: b.spans.map(fix) };
  });
  return { ...message, blocks };
}

/** Whether a text is a command line as the features write them ("task start 3"). */
export function isCommandLine(registry: Registry, text: string): boolean {
  if (/^\s*[!/]/.test(text) || text.length > 200) return false;
  try {
    return registry.resolve(tokenize(normalizeInput(text))) !== undefined;
  } catch {
    return false;
  }
}

/** The command a choice runs, as a member would type it. */
export function choiceCommand(action: Action): string {
  return `!${action.command.replace(/^[!/]\s*/, "")}`;
}

/** Renders blocks and numbered choices (Matrix has no buttons). */
export function renderMessage(message: OutgoingMessage, now: Date): Rendered {
  const marked = withToneMark(message);
  const userIds = new Set<string>();
  const context = { lang: message.lang, timeZone: message.timeZone, now };
  const html = marked.blocks.map((b) => blockHtml(b, context, userIds));
  const body = [neutralize(renderText(marked, now))];
  if (message.actions.length > 0) {
    const hint = defaultI18n().translator(message.lang).t("matrix.choices");
    const items = message.actions.map(
      (a) => `<li>${safe(a.label)} – <code>${escapeHtml(neutralize(choiceCommand(a)))}</code></li>`,
    );
    html.push(`<p><em>${safe(hint)}</em></p><ol>${items.join("")}</ol>`);
    body.push(
      [
        hint,
        ...message.actions.map(
          (a, i) => `${i + 1}. ${neutralize(a.label)} – ${neutralize(choiceCommand(a))}`,
        ),
      ].join("\n"),
    );
  }
  return { body: body.filter((b) => b !== "").join("\n\n"), html: html.join(""), userIds: [...userIds] };
}
