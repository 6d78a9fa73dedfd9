import { afterAll, beforeAll, expect, it } from "vitest";
import { isListOption, optionsFor } from "../../../src/adapters/discord/commands.ts";
import type { OptionNode } from "../../../src/adapters/discord/options.ts";
import type { RawValue } from "../../../src/core/args.ts";
import type { AnyCommand } from "../../../src/core/command.ts";
import type { Registry } from "../../../src/core/registry.ts";
import { UserError } from "../../../src/core/errors.ts";
import { bindArguments, optionName, tokenize } from "../../../src/core/parse.ts";
import { coordinatorPermissions, type DiscordWorld, startDiscordWorld, violations } from "./setup.ts";

/**
 * Every example of every declared command, typed as a slash command through real discord.js:
 * it is answered and never fails internally. For the foundation's families the outcome is
 * the same as on the console.
 */
let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
});
afterAll(async () => {
  expect(violations(world.fake)).toEqual([]);
  await world?.close();
});

const carla = { id: "400000000000000007", username: "carla", globalName: "Carla" };
const someone = "400000000000000008";
const sameAsConsole = new Set(["help", "settings"]);

const quote = (v: string) => (/\s/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v);

/** The slash command options for what the example binds to the command's arguments. */
function optionsOf(registry: Registry, command: AnyCommand, raw: Record<string, RawValue>): OptionNode[] {
  const types = new Map(optionsFor(registry, command).map((o) => [o.name, o.type]));
  const out: OptionNode[] = [];
  for (const [key, spec] of Object.entries(command.args)) {
    const value = raw[key];
    const name = optionName(key);
    const type = types.get(name);
    if (value === undefined || type === undefined) continue;
    const words = Array.isArray(value) ? value : [value];
    let converted: string | number | boolean;
    if (isListOption(spec.meta)) converted = words.map((w) => quote(String(w))).join(" ");
    else if (type === 5) converted = value === true || /^(true|yes|ja|on|an|1)$/i.test(String(value));
    else if (type === 4 || type === 10) converted = Number(value);
    else if (type === 6) converted = someone;
    else converted = words.join(" ");
    out.push({ name, type, value: converted });
  }
  return out;
}

function nest(path: readonly string[], leaves: OptionNode[]): OptionNode[] {
  if (path.length === 1) return leaves;
  if (path.length === 2) return [{ name: path[1] ?? "", type: 1, options: leaves }];
  return [{ name: path[1] ?? "", type: 2, options: [{ name: path[2] ?? "", type: 1, options: leaves }] }];
}

it("answers every command's examples through Discord as on the console", async () => {
  const { fake, bot } = world;
  const registry = bot.app.bot.registry;
  let tried = 0;
  for (const command of registry.commands) {
    const examples = ["en", "de"] as const;
    for (const example of examples.flatMap((l) => registry.commandText(command, registry.i18n.translator(l)).examples)) {
      let found: ReturnType<typeof registry.resolve>;
      let raw: Record<string, RawValue>;
      try {
        found = registry.resolve(tokenize(example));
        if (!found) continue;
        raw = bindArguments(found.command, found.rest);
      } catch (error) {
        if (error instanceof UserError) continue;
        throw error;
      }
      const path = found.command.path;
      const token = fake.slash(path[0] ?? "", nest(path, optionsOf(registry, found.command, raw)), {
        user: carla,
        locale: "en-US",
        permissions: coordinatorPermissions,
      });
      await world.answered(token);
      const result = world.results.at(-1);
      expect(world.invocations.at(-1)?.input).toMatchObject({ kind: "structured", path });
      expect(result?.kind, example).not.toBe("internal-error");
      if (sameAsConsole.has(path[0] ?? "")) {
        await bot.say(example, { member: "carla", room: "examples", coordinator: true });
        expect(result?.kind, example).toBe(bot.last?.kind);
      }
      tried++;
    }
  }
  expect(tried).toBeGreaterThanOrEqual(8);
});
