import { isRecord, type Problem } from "./fake-http.ts";

/**
 * Discord's rules for a message body (Create/Edit Message, interaction responses and
 * follow-ups), from the API documentation: content up to 2,000 characters (counted here in
 * UTF-16 units, which is never less than Discord's count), at most 5 action rows of 1-5
 * buttons, custom ids 1-100 characters and unique, labels up to 80, polls with 1-10 answers
 * of up to 55 characters, a question of up to 300 and 1-768 hours, allowed_mentions whose
 * `parse` excludes the lists it names, and only the flags each endpoint allows.
 */
export type MessageUse = "create" | "edit" | "response" | "followup";

const ephemeral = 1 << 6;
/** Flags each endpoint accepts (SUPPRESS_EMBEDS, EPHEMERAL, VOICE, SUPPRESS_NOTIFICATIONS, COMPONENTS_V2). */
const allowedFlags: Record<MessageUse, number> = {
  create: (1 << 2) | (1 << 12) | (1 << 13) | (1 << 15),
  edit: (1 << 2) | (1 << 15),
  response: (1 << 2) | ephemeral | (1 << 12) | (1 << 13) | (1 << 15),
  followup: (1 << 2) | ephemeral | (1 << 12) | (1 << 13) | (1 << 15),
};
const maxContent = 2000;
const snowflake = /^\d{17,20}$/;

export interface Pings {
  users: string[];
  roles: string[];
  everyone: boolean;
}

export interface CheckedMessage {
  problems: Problem[];
  /** Whether this body asks for an empty message (50006, a separate error code). */
  empty: boolean;
  ephemeral: boolean;
  /** Who the message notifies, after allowed_mentions. */
  pings: Pings;
}

function text(problems: Problem[], path: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "string") problems.push({ path, message: "Must be a string." });
  else if (value.length < min || value.length > max) {
    problems.push({ path, message: `Must be between ${min} and ${max} in length.` });
  }
}

function checkButton(problems: Problem[], path: string, button: unknown, ids: Set<string>): void {
  if (!isRecord(button) || button.type !== 2) {
    problems.push({ path, message: "Only buttons are expected in this action row." });
    return;
  }
  const style = button.style;
  if (typeof style !== "number" || style < 1 || style > 5) {
    problems.push({ path: `${path}.style`, message: "Invalid button style." });
    return;
  }
  if (style === 5) {
    text(problems, `${path}.url`, button.url, 1, 512);
    if (button.custom_id !== undefined) problems.push({ path: `${path}.custom_id`, message: "Link buttons cannot have a custom_id." });
  } else {
    text(problems, `${path}.custom_id`, button.custom_id, 1, 100);
    if (button.url !== undefined) problems.push({ path: `${path}.url`, message: "Only link buttons have a url." });
    if (typeof button.custom_id === "string") {
      if (ids.has(button.custom_id)) problems.push({ path: `${path}.custom_id`, message: "Component custom id cannot be duplicated." });
      ids.add(button.custom_id);
    }
  }
  if (button.label !== undefined) text(problems, `${path}.label`, button.label, 0, 80);
  if ((button.label === undefined || button.label === "") && button.emoji === undefined) {
    problems.push({ path: `${path}.label`, message: "A button needs a label or an emoji." });
  }
}

function checkComponents(problems: Problem[], components: unknown): number {
  if (components === undefined || components === null) return 0;
  if (!Array.isArray(components)) {
    problems.push({ path: "components", message: "Must be an array." });
    return 0;
  }
  if (components.length > 5) problems.push({ path: "components", message: "Must be 5 or fewer in length." });
  const ids = new Set<string>();
  components.forEach((row: unknown, r) => {
    const path = `components[${r}]`;
    if (!isRecord(row) || row.type !== 1 || !Array.isArray(row.components)) {
      problems.push({ path, message: "Top-level components must be action rows." });
      return;
    }
    if (row.components.length < 1 || row.components.length > 5) {
      problems.push({ path: `${path}.components`, message: "Must be between 1 and 5 in length." });
    }
    row.components.forEach((b: unknown, i) => checkButton(problems, `${path}.components[${i}]`, b, ids));
  });
  return components.length;
}

function checkPoll(problems: Problem[], poll: unknown): void {
  if (!isRecord(poll)) {
    problems.push({ path: "poll", message: "Must be a poll request object." });
    return;
  }
  text(problems, "poll.question.text", isRecord(poll.question) ? poll.question.text : undefined, 1, 300);
  const answers = poll.answers;
  if (!Array.isArray(answers) || answers.length < 1 || answers.length > 10) {
    problems.push({ path: "poll.answers", message: "Must be between 1 and 10 in length." });
  } else {
    answers.forEach((a: unknown, i) =>
      text(problems, `poll.answers[${i}].poll_media.text`, isRecord(a) && isRecord(a.poll_media) ? a.poll_media.text : undefined, 1, 55),
    );
  }
  const duration = poll.duration ?? 24;
  if (typeof duration !== "number" || !Number.isInteger(duration) || duration < 1 || duration > 768) {
    problems.push({ path: "poll.duration", message: "Must be a whole number of hours between 1 and 768 (32 days)." });
  }
  if (poll.layout_type !== undefined && poll.layout_type !== 1) problems.push({ path: "poll.layout_type", message: "Unknown layout." });
  if (poll.allow_multiselect !== undefined && typeof poll.allow_multiselect !== "boolean") {
    problems.push({ path: "poll.allow_multiselect", message: "Must be a boolean." });
  }
}

const mentionTypes = new Set(["users", "roles", "everyone"]);

function checkAllowedMentions(problems: Problem[], allowed: unknown): void {
  if (allowed === undefined || allowed === null) return;
  if (!isRecord(allowed)) {
    problems.push({ path: "allowed_mentions", message: "Must be an object." });
    return;
  }
  const parse = allowed.parse ?? [];
  if (!Array.isArray(parse) || parse.some((p) => typeof p !== "string" || !mentionTypes.has(p))) {
    problems.push({ path: "allowed_mentions.parse", message: "Unknown mention type." });
    return;
  }
  for (const kind of ["users", "roles"] as const) {
    const list = allowed[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || list.some((id) => typeof id !== "string" || !snowflake.test(id))) {
      problems.push({ path: `allowed_mentions.${kind}`, message: "Must be a list of snowflakes." });
    } else if (list.length > 100) {
      problems.push({ path: `allowed_mentions.${kind}`, message: "Must be 100 or fewer in length." });
    } else if (list.length > 0 && parse.includes(kind)) {
      problems.push({ path: "allowed_mentions", message: `parse: ["${kind}"] and ${kind}: [...] are mutually exclusive.` });
    }
  }
}

/** Who a message notifies: the mentions in its content that allowed_mentions lets through. */
export function pingsOf(body: Record<string, unknown>, use: MessageUse, isEphemeral: boolean): Pings {
  const content = typeof body.content === "string" ? body.content : "";
  const allowed = isRecord(body.allowed_mentions) ? body.allowed_mentions : undefined;
  // Without allowed_mentions: regular messages parse everything, interactions and webhooks users only.
  const parse = allowed
    ? (Array.isArray(allowed.parse) ? allowed.parse : []).map(String)
    : use === "create" || use === "edit"
      ? ["users", "roles", "everyone"]
      : ["users"];
  const listed = (kind: string): string[] =>
    allowed && Array.isArray(allowed[kind]) ? (allowed[kind] as unknown[]).map(String) : [];
  const users = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? "");
  const roles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? "");
  if (isEphemeral) return { users: [], roles: [], everyone: false };
  return {
    users: [...new Set(users.filter((u) => parse.includes("users") || listed("users").includes(u)))],
    roles: [...new Set(roles.filter((r) => parse.includes("roles") || listed("roles").includes(r)))],
    everyone: parse.includes("everyone") && /@(everyone|here)/.test(content),
  };
}

/** Checks a message body for `use`; `files` are the names of the uploaded files. */
export function checkMessage(body: unknown, use: MessageUse, files: string[] = []): CheckedMessage {
  const problems: Problem[] = [];
  if (!isRecord(body)) {
    return { problems: [{ path: "", message: "A message body is required." }], empty: false, ephemeral: false, pings: { users: [], roles: [], everyone: false } };
  }
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== "string") problems.push({ path: "content", message: "Must be a string." });
    else if (body.content.length > maxContent) {
      problems.push({ path: "content", message: `Must be ${maxContent} or fewer in length.` });
    }
  }
  const rows = checkComponents(problems, body.components);
  if (body.poll !== undefined && body.poll !== null) {
    if (use === "edit") problems.push({ path: "poll", message: "A poll cannot be edited." });
    else checkPoll(problems, body.poll);
  }
  checkAllowedMentions(problems, body.allowed_mentions);
  if (body.nonce !== undefined && body.nonce !== null) {
    const valid =
      (typeof body.nonce === "string" && body.nonce.length <= 25) || (typeof body.nonce === "number" && Number.isInteger(body.nonce));
    if (use !== "create" || !valid) problems.push({ path: "nonce", message: "Must be an integer or a string of 25 or fewer characters." });
  }
  if (body.enforce_nonce !== undefined && typeof body.enforce_nonce !== "boolean") {
    problems.push({ path: "enforce_nonce", message: "Must be a boolean." });
  }
  const flags = body.flags ?? 0;
  if (typeof flags !== "number" || (flags & ~allowedFlags[use]) !== 0) {
    problems.push({ path: "flags", message: "This endpoint does not accept these message flags." });
  }
  if (Array.isArray(body.attachments)) {
    body.attachments.forEach((a: unknown, i) => {
      if (!isRecord(a) || typeof a.id !== "number" || (use !== "edit" && a.id >= files.length)) {
        problems.push({ path: `attachments[${i}].id`, message: "Attachment refers to no uploaded file." });
      }
    });
  }
  const content = typeof body.content === "string" ? body.content : "";
  const empty =
    use !== "edit" && content.trim() === "" && rows === 0 && !body.poll && files.length === 0 && !body.embeds;
  const isEphemeral = typeof flags === "number" && (flags & ephemeral) !== 0;
  return { problems, empty, ephemeral: isEphemeral, pings: pingsOf(body, use, isEphemeral) };
}
