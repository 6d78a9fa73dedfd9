import { bindArguments, optionName, tokenize } from "../../core/parse.ts";
import type { Registry } from "../../core/registry.ts";

/**
 * A command line as it is typed into Discord's slash command box: the command, then each
 * option as `name:value` ("/poll vote poll-id:12 options:3"). Discord never delivers typed
 * text to the bot, so "/poll vote 12 3" would not work there.
 */
export function slashLine(registry: Registry, line: string): string {
  try {
    const found = registry.resolve(tokenize(line));
    if (!found) return `/${line}`;
    const raw = bindArguments(found.command, found.rest);
    const parts = [`/${found.command.path.join(" ")}`];
    for (const key of Object.keys(found.command.args)) {
      const value = raw[key];
      if (value === undefined || value === false) continue;
      const text = Array.isArray(value)
        ? value.map((v) => (/\s/.test(v) ? `"${v}"` : v)).join(" ")
        : value === true
          ? "True"
          : String(value);
      parts.push(`${optionName(key)}:${text}`);
    }
    return parts.join(" ");
  } catch {
    return `/${line}`;
  }
}
