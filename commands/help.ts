import { arg } from "../src/core/args.ts";
import { type AnyCommand, categories } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { defineLocales } from "../src/core/i18n.ts";
import { type Block, bold, code, heading, list, paragraph } from "../src/core/message.ts";
import { optionName } from "../src/core/parse.ts";
import { usage } from "../src/core/registry.ts";
import { defineCommand, type Family } from "./define.ts";

const locales = defineLocales(
  "help",
  {
    title: "Teambot commands",
    intro:
      "Type a command with / or ! in front (on the console you may leave it out). Text with spaces goes in quotes.",
    introDiscord:
      "Type / and pick one of Teambot's commands: Discord shows its options. Buttons under my posts run commands too. (Commands typed as plain text, with ! or without picking, do not reach me on Discord.)",
    more: "**help <command>** shows one command with its options and examples.",
    options: "Options and arguments",
    examples: "Examples",
    subcommands: "Commands",
    unknown: "There is no command “{{command}}”. Type **help** for the list.",
    required: "required",
  },
  {
    title: "Teambot-Befehle",
    intro:
      "Schreibe einen Befehl mit / oder ! davor (in der Konsole geht es auch ohne). Text mit Leerzeichen gehört in Anführungszeichen.",
    introDiscord:
      "Tippe / und wähle einen Befehl von Teambot: Discord zeigt seine Optionen. Die Knöpfe unter meinen Beiträgen führen auch Befehle aus. (Als Text getippte Befehle, mit ! oder ohne Auswahl, erreichen mich auf Discord nicht.)",
    more: "**help <befehl>** zeigt einen Befehl mit seinen Optionen und Beispielen.",
    options: "Optionen und Argumente",
    examples: "Beispiele",
    subcommands: "Befehle",
    unknown: "Einen Befehl „{{command}}“ gibt es nicht. Mit **help** siehst du alle.",
    required: "Pflicht",
  },
);

const help = defineCommand({
  path: ["help"],
  noRoomPosts: true,
  aliases: [["hilfe"]],
  category: "general",
  description: { en: "List the commands, or explain one", de: "Befehle auflisten oder einen erklären" },
  args: {
    command: arg
      .string({ en: "A command, e.g. poll create", de: "Ein Befehl, z. B. poll create" }, { max: 100 })
      .many(0, 3)
      .positional()
      .names({ de: "befehl" }),
  },
  examples: ["help", "help settings", "help poll create"],
  handler(ctx, { command }) {
    const r = ctx.registry;
    const { tr, lang } = ctx;
    const words = command.map((w) => w.toLowerCase().replace(/^[!/]/, ""));
    if (words.length === 0) {
      // Discord delivers slash commands and buttons only: typed text never reaches the bot there.
      const intro = ctx.invocation.platform === "discord" ? "help.introDiscord" : "help.intro";
      const blocks: Block[] = [heading(tr.t("help.title")), paragraph(tr.t(intro))];
      for (const category of categories) {
        const inCategory = r.commands.filter((c) => c.category === category);
        if (inCategory.length === 0) continue;
        blocks.push(paragraph(bold(tr.t(`core.category.${category}`))));
        blocks.push(list(inCategory.map((c) => [code(c.path.join(" ")), ` – ${c.description[lang]}`])));
      }
      blocks.push({ kind: "paragraph", spans: tr.tm("help.more") });
      return ctx.reply(blocks);
    }
    const found =
      r.get(words) ?? r.commands.find((c) => c.aliases?.some((a) => a.join(" ") === words.join(" ")));
    if (found) return ctx.reply(describe(found, (key) => ctx.tr.t(key), lang));
    const children = r.childrenOf(words);
    if (children.length > 0) {
      return ctx.reply([
        heading(words.join(" ")),
        paragraph(bold(tr.t("help.subcommands"))),
        list(children.map((c) => [code(usage(c, lang)), ` – ${c.description[lang]}`])),
        { kind: "paragraph", spans: tr.tm("help.more") },
      ]);
    }
    throw new UserError("help.unknown", { command: words.join(" ") });
  },
});

function describe(command: AnyCommand, t: (key: string) => string, lang: "de" | "en"): Block[] {
  const blocks: Block[] = [heading(command.path.join(" ")), paragraph(command.description[lang])];
  blocks.push(paragraph(code(usage(command, lang))));
  const args = Object.entries(command.args);
  if (args.length > 0) {
    blocks.push(paragraph(bold(t("help.options"))));
    blocks.push(
      list(
        args.map(([key, spec]) => [
          code(
            spec.meta.positional ? `<${spec.meta.names?.[lang] ?? optionName(key)}>` : `--${optionName(key)}`,
          ),
          ` – ${spec.meta.description[lang]}${spec.meta.required ? ` (${t("help.required")})` : ""}`,
        ]),
      ),
    );
  }
  if (command.examples && command.examples.length > 0) {
    blocks.push(paragraph(bold(t("help.examples"))));
    blocks.push(list(command.examples.map((e) => [code(e)])));
  }
  return blocks;
}

export const helpFamily: Family = {
  name: "help",
  description: { en: "Help", de: "Hilfe" },
  commands: [help],
  locales,
};
