import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { families } from "../../commands/index.ts";
import { defaultI18n } from "../../src/core/catalog.ts";

/**
 * Code holds keys, the message files hold texts: no sentence for users is written in
 * commands/ or src/, and every key the code names exists in English.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const i18n = defaultI18n();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/**
 * Texts that may stay in code, each with its reason: what developers and operators read
 * (logs, thrown errors, the ops tools' output is not covered here) and protocol strings.
 */
const allowed: readonly { file: string; text: RegExp; why: string }[] = [
  { file: "src/main.ts", text: /./, why: "start-up and shutdown lines for the operator" },
  { file: "src/config.ts", text: /./, why: "configuration errors for the operator" },
  { file: "src/ops/", text: /./, why: "backup, restore, doctor: operator tools" },
  { file: "src/db/", text: /./, why: "database messages for the operator" },
  { file: "src/adapters/matrix/connect.ts", text: /./, why: "Matrix login errors for the operator" },
  { file: "src/adapters/matrix/health.ts", text: /./, why: "the room check at start, logged for the operator" },
  { file: "src/adapters/matrix/session.ts", text: /^rust crypto store$/, why: "a key-derivation label" },
  { file: "src/core/when/", text: /^[\p{L}\d .,'|-]+$/u, why: "the words the time-phrase reader understands (input)" },
  { file: "src/core/time.ts", text: /de-DE/, why: "the Intl locale of each language" },
  { file: "src/features/meetings/calendar.ts", text: /^text\/calendar/, why: "a MIME type" },
  { file: "src/features/tasks/store.ts", text: /changed concurrently/, why: "an internal conflict, retried" },
  { file: "src/scheduler/recurrence.ts", text: /^unreadable cron rule/, why: "a stored row that cannot be read" },
  { file: "src/features/privacy/forget.ts", text: /^former member$/, why: "the stored stand-in for an erased member's name" },
  { file: "src/scheduler/claim-postgres.ts", text: /SKIP LOCKED/, why: "SQL" },
  { file: "src/", text: /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s/, why: "SQL on a hot path" },
  { file: "src/core/errors.ts", text: /is connected in another process$/, why: "an internal error: the job is handed over" },
];

/** Natural language: two words of letters with a space between. */
const sentence = /\p{L}{2,}[,.;:!?]?\s+\p{L}{2,}/u;
/** Where a single word would already be a text for users. */
const textBuilders = new Set(["text", "bold", "italic", "heading", "paragraph", "action"]);
const logCall = /(^|\.)(log|logger|console)\.(trace|debug|info|warn|error|fatal|log)$/;

/** Command lines (button commands, examples in code) are command words, typed in English everywhere. */
const heads = new Set(families.flatMap((f) => f.commands.map((c) => c.path[0] ?? "")));
const isCommandLine = (text: string): boolean => heads.has(/^[!/]?([a-z-]+)/.exec(text)?.[1] ?? "");

interface Finding {
  where: string;
  text: string;
}

function textOf(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ");
  return undefined;
}

/** Positions whose strings are not for users: imports, thrown errors, logs, types, keys. */
function exempt(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isLiteralTypeNode(parent)) return true;
  if (ts.isImportTypeNode(parent) || ts.isExternalModuleReference(parent)) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return true;
  if (ts.isElementAccessExpression(parent)) return true;
  if (ts.isNewExpression(parent)) {
    const name = parent.expression.getText();
    return name.endsWith("Error") && name !== "UserError";
  }
  if (ts.isCallExpression(parent) && logCall.test(parent.expression.getText())) return true;
  // zod's messages about stored data (refine, regex) are for developers.
  const call = ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent) ? parent.parent.parent : parent;
  if (ts.isCallExpression(call) && /\.(refine|regex|superRefine)$/.test(call.expression.getText())) return true;
  return false;
}

/** The call a string is the first argument of: `tr.t("…")`, `new UserError("…")`. */
function keyCall(node: ts.Node): boolean {
  const parent = node.parent;
  if (!(ts.isCallExpression(parent) || ts.isNewExpression(parent)) || parent.arguments?.[0] !== node) return false;
  const callee = parent.expression.getText();
  return /(^|\.)(t|tm|lines)$/.test(callee) || callee === "UserError";
}

function scan(file: string): { literals: Finding[]; keys: Finding[] } {
  const rel = path.relative(root, file);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const literals: Finding[] = [];
  const keys: Finding[] = [];
  const where = (node: ts.Node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    // A `{ en: …, de: … }` object is a text written in code.
    if (ts.isObjectLiteralExpression(node)) {
      const texts = node.properties.filter(
        (p) => ts.isPropertyAssignment(p) && ["en", "de"].includes(p.name.getText()) && textOf(p.initializer) !== undefined,
      );
      if (texts.length === 2) literals.push({ where: where(node), text: node.getText().slice(0, 80) });
    }
    const text = textOf(node);
    if (text !== undefined) {
      // A key chosen in a condition: `final ? "poll.finalTitle" : "poll.resultsTitle"`.
      const namespace = /^([a-z][A-Za-z]*)\.[A-Za-z0-9_.]+$/.exec(text)?.[1];
      const chosenKey =
        ts.isConditionalExpression(node.parent) && namespace !== undefined && i18n.entry("en", namespace) !== undefined;
      if (keyCall(node) || chosenKey) {
        keys.push({ where: where(node), text: ts.isTemplateExpression(node) ? `${node.head.text}*` : text });
      } else if (!exempt(node)) {
        const parent = node.parent;
        const builder =
          ts.isCallExpression(parent) &&
          textBuilders.has(parent.expression.getText()) &&
          (parent.expression.getText() !== "action" || parent.arguments[0] === node) &&
          /\p{L}{2,}/u.test(text);
        const label = ts.isPropertyAssignment(parent) && parent.name.getText() === "label" && /\p{L}{2,}/u.test(text);
        if ((sentence.test(text) && !isCommandLine(text)) || builder || label) literals.push({ where: where(node), text });
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { literals, keys };
}

const files = [...sources(path.join(root, "commands")), ...sources(path.join(root, "src"))];
const results = files.map(scan);

describe("texts live in the message files", () => {
  it("leaves no sentence for users in commands/ and src/", () => {
    const found = results
      .flatMap((r) => r.literals)
      .filter((f) => !allowed.some((a) => f.where.startsWith(a.file) && a.text.test(f.text)));
    expect(found).toEqual([]);
  });

  it("names only keys that English has", () => {
    const missing = results
      .flatMap((r) => r.keys)
      .filter((f) => {
        if (f.text.endsWith("*")) {
          const prefix = f.text.slice(0, -1).replace(/\.$/, "");
          return prefix.includes(".") && i18n.entry("en", prefix) === undefined;
        }
        if (!/^[a-z][A-Za-z]*\.[A-Za-z0-9_. -]+$/.test(f.text)) return false;
        return !i18n.has(f.text) && !i18n.has(`${f.text}_other`) && !i18n.has(`${f.text}_ordinal_other`);
      });
    expect(missing).toEqual([]);
  });

  it("finds what it looks for", () => {
    const { literals } = scan(path.join(root, "test/unit/texts-in-files.sample.ts"));
    expect(literals.map((l) => l.text)).toEqual([
      "Your vote is counted.",
      "{ en: \"Hello\", de: \"Hallo\" }",
      "Done",
      "Take it",
    ]);
  });
});
