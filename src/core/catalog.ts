import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { type Catalog, I18n, type MessageTree } from "./i18n.ts";
import { languages } from "./time.ts";

/**
 * The message files: `locales/<language>/<namespace>.json`, i18next JSON (v4 plural suffixes
 * `_zero` … `_other`). They are read once, synchronously, when the bot starts, and checked
 * here; a missing folder or a malformed file stops the start with a message naming it.
 */
export const localesDir = fileURLToPath(new URL("../../locales/", import.meta.url));

const treeSchema: z.ZodType<MessageTree> = z.lazy(() =>
  z.record(z.string().regex(/^[A-Za-z0-9 _-]+$/), z.union([z.string(), z.array(z.string()), treeSchema])),
);

const namespacePattern = /^[a-z][A-Za-z0-9]*$/;

export function loadCatalog(dir: string = localesDir): Catalog {
  const catalog: Catalog = {};
  for (const lang of languages) {
    const folder = path.join(dir, lang);
    const files = readdirSync(folder).filter((f) => f.endsWith(".json"));
    const namespaces: Record<string, MessageTree> = {};
    for (const file of files) {
      const namespace = file.slice(0, -".json".length);
      if (!namespacePattern.test(namespace)) throw new Error(`${lang}/${file}: a file name is a namespace such as poll.json`);
      let content: unknown;
      try {
        content = JSON.parse(readFileSync(path.join(folder, file), "utf8"));
      } catch (error) {
        throw new Error(`${lang}/${file} is not valid JSON: ${String(error)}`, { cause: error });
      }
      const parsed = treeSchema.safeParse(content);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${lang}/${file}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
      }
      namespaces[namespace] = parsed.data;
    }
    catalog[lang] = namespaces;
  }
  return catalog;
}

let loaded: I18n | undefined;

/** The bot's translations from `locales/`, loaded on first use and kept. */
export function defaultI18n(): I18n {
  loaded ??= new I18n(loadCatalog());
  return loaded;
}
