import { arg } from "../src/core/args.ts";
import { type AnyCommand, categories } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import type { Translator } from "../src/core/i18n.ts";
import { type Block, bold, code, heading, list, paragraph, type Span } from "../src/core/message.ts";
import type { Registry } from "../src/core/registry.ts";
import { defineCommand, type Family } from "./define.ts";

const help = defineCommand({
  path: ["help"],
  readOnly: true,
  noRoomPosts: true,
  category: "general",
  args: {
    command: arg.string({ max: 100 }).many(0, 3).positional(),
  },
  handler(ctx, { command }) {
    const r = ctx.registry;
    const { tr } = ctx;
    const words = command.map((w) => w.toLowerCase().replace(/^[!/]/, ""));
    if (words.length === 0) {
      // Discord delivers slash commands and buttons only: typed text never reaches the bot there.
      const intro = ctx.invocation.platform === "discord" ? "help.introDiscord" : "help.intro";
      const blocks: Block[] = [heading(tr.t("help.title")), paragraph(tr.t(intro))];
      for (const category of categories) {
        const inCategory = r.commands.filter((c) => c.category === category);
        if (inCategory.length === 0) continue;
        blocks.push(paragraph(bold(tr.t(`core.category.${category}`))));
        blocks.push(list(inCategory.map((c) => line(r, c, c.path.join(" "), tr))));
      }
      blocks.push({ kind: "paragraph", spans: tr.tm("help.more") });
      return ctx.reply(blocks);
    }
    // Typed in German too: "help umfrage neu", "help erinnere".
    const path = r.canonicalPrefix(words) ?? words;
    const found = r.get(path);
    if (found) return ctx.reply(describe(r, found, tr));
    const children = r.childrenOf(path);
    if (children.length > 0) {
      return ctx.reply([
        heading(code(path.join(" "))),
        paragraph(bold(tr.t("help.subcommands"))),
        list(children.map((c) => line(r, c, r.usage(c, tr), tr))),
        { kind: "paragraph", spans: tr.tm("help.more") },
      ]);
    }
    throw new UserError("help.unknown", { command: words.join(" ") });
  },
});

/** `poll create` – Start a poll in this team (a list item of help). */
function line(r: Registry, command: AnyCommand, shown: string, tr: Translator): Span[] {
  return tr.tm("help.line", { command: code(shown), description: r.commandText(command, tr).description });
}

function describe(r: Registry, command: AnyCommand, tr: Translator): Block[] {
  const texts = r.commandText(command, tr);
  const blocks: Block[] = [heading(code(command.path.join(" "))), paragraph(texts.description)];
  blocks.push(paragraph(code(r.usage(command, tr))));
  const args = Object.entries(command.args);
  if (args.length > 0) {
    blocks.push(paragraph(bold(tr.t("help.options"))));
    blocks.push(
      list(
        args.map(([key, spec]) =>
          tr.tm(spec.meta.required ? "help.requiredLine" : "help.line", {
            command: code(r.argLabel(command, key, tr)),
            description: r.argText(command, key, tr).description,
          }),
        ),
      ),
    );
  }
  if (texts.examples.length > 0) {
    blocks.push(paragraph(bold(tr.t("help.examples"))));
    blocks.push(list(texts.examples.map((e) => [code(e)])));
  }
  return blocks;
}

export const helpFamily: Family = {
  name: "help",
  namespace: "help",
  commands: [help],
};
