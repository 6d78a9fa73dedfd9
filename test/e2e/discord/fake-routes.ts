import { type Answer, brokenUnicode, fail, invalidForm, isRecord, noContent, ok } from "./fake-http.ts";
import { checkCommands, listed, stored } from "./fake-commands.ts";
import type { FakeDiscord } from "./fake-discord.ts";
import { checkMessage } from "./fake-messages.ts";

/** One REST request as the routes see it. */
export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: string[];
  locale: string | undefined;
  now: number;
}

/** A message the bot posted, as the channel shows it now. */
export interface ChannelMessage {
  id: string;
  channelId: string;
  content: string;
  components: unknown[];
  poll?: unknown;
  pollEnded?: boolean;
  flags: number;
  deleted: boolean;
}

const at = (path: string, pattern: RegExp): string[] | undefined => {
  const m = pattern.exec(path);
  return m ? m.slice(1).map((v) => v ?? "") : undefined;
};

function commands(fake: FakeDiscord, r: RouteRequest, guild: string): Answer {
  const global = guild === "";
  if (!global && guild !== fake.guildId) return fail(404, 10004, "Unknown Guild");
  if (r.method === "GET") {
    const withLocalizations = r.query.get("with_localizations") === "true";
    const list = global ? fake.globalCommands : fake.guildCommands;
    return ok(list.filter(isRecord).map((c) => listed(c, withLocalizations, r.locale)));
  }
  if (r.method !== "PUT") return fail(405, 0, "405: Method Not Allowed");
  const problems = [...brokenUnicode(r.body), ...checkCommands(r.body, global)];
  if (problems.length > 0) return invalidForm(problems);
  const before = new Set((global ? fake.globalCommands : fake.guildCommands).filter(isRecord).map((c) => String(c.name)));
  const list = (r.body as Record<string, unknown>[]).map((c) => {
    if (!before.has(String(c.name))) fake.commandCreates++;
    return stored(
      c,
      { id: fake.id(), application_id: fake.applicationId, version: fake.id(), ...(global ? {} : { guild_id: guild }) },
      global,
    );
  });
  if (fake.commandCreates > 200) return fail(429, 30034, "Max number of daily application command creates has been reached (200)");
  if (global) fake.globalCommands = list;
  else fake.guildCommands = list;
  return ok(list.map((c) => listed(c, true, undefined)));
}

/** How long Discord remembers an enforced nonce ("the past few minutes"). */
const nonceWindowMs = 5 * 60_000;

function postMessage(fake: FakeDiscord, r: RouteRequest, channelId: string): Answer {
  const checked = checkMessage(r.body, "create", r.files);
  const problems = [...brokenUnicode(r.body), ...checked.problems];
  if (problems.length > 0) return invalidForm(problems);
  if (checked.empty) return fail(400, 50006, "Cannot send an empty message");
  const body = r.body as Record<string, unknown>;
  // The same author, the same nonce within a few minutes, enforced: that message again, no new one.
  const nonce = typeof body.nonce === "string" || typeof body.nonce === "number" ? String(body.nonce) : undefined;
  const earlier = nonce && body.enforce_nonce === true ? fake.nonces.get(nonce) : undefined;
  if (earlier && r.now - earlier.at < nonceWindowMs) return ok(fake.message(earlier.channelId, earlier.body, earlier.messageId));
  const dmOwner = fake.dmOwner(channelId);
  if (dmOwner !== undefined) {
    if (fake.closedDms.has(dmOwner)) return fail(403, 50007, "Cannot send messages to this user");
  } else {
    const refusal = fake.guild.refusal(channelId, { poll: body.poll !== undefined, files: r.files.length > 0 });
    if (refusal) return fail(refusal[0], refusal[1], refusal[2]);
  }
  const message: ChannelMessage = {
    id: fake.id(),
    channelId,
    content: typeof body.content === "string" ? body.content : "",
    components: Array.isArray(body.components) ? body.components : [],
    ...(body.poll ? { poll: body.poll } : {}),
    flags: typeof body.flags === "number" ? body.flags : 0,
    deleted: false,
  };
  fake.channelMessages.set(message.id, message);
  if (nonce && body.enforce_nonce === true) fake.nonces.set(nonce, { messageId: message.id, channelId, body, at: r.now });
  fake.notePings(channelId, checked.pings);
  return ok(fake.message(channelId, body, message.id));
}

function channelMessage(fake: FakeDiscord, r: RouteRequest, channelId: string, messageId: string): Answer {
  const message = fake.channelMessages.get(messageId);
  if (!message || message.channelId !== channelId || message.deleted) return fail(404, 10008, "Unknown Message");
  if (r.method === "DELETE") {
    message.deleted = true;
    return noContent();
  }
  if (r.method !== "PATCH") return fail(405, 0, "405: Method Not Allowed");
  const checked = checkMessage(r.body, "edit", r.files);
  const problems = [...brokenUnicode(r.body), ...checked.problems];
  if (problems.length > 0) return invalidForm(problems);
  const body = r.body as Record<string, unknown>;
  if (typeof body.content === "string") message.content = body.content;
  if (Array.isArray(body.components)) message.components = body.components;
  if (message.content.trim() === "" && message.components.length === 0 && !message.poll) {
    return fail(400, 50006, "Cannot send an empty message");
  }
  fake.notePings(channelId, checked.pings);
  return ok(fake.message(channelId, { ...body, content: message.content }, message.id));
}

/** Routes one REST request (after authentication, injected failures and rate limits). */
export function route(fake: FakeDiscord, r: RouteRequest): Answer {
  const { method, path } = r;
  if (method === "GET" && path === "/gateway/bot") {
    return ok({
      url: fake.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
    });
  }
  const cmd = at(path, /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/);
  if (cmd && cmd[0] === fake.applicationId) return commands(fake, r, cmd[1] ?? "");
  const callback = at(path, /^\/interactions\/(\d+)\/([^/]+)\/callback$/);
  if (callback && method === "POST") {
    const problems = brokenUnicode(r.body);
    if (problems.length > 0) return invalidForm(problems);
    const effects = fake.interactions.callback(callback[0] ?? "", callback[1] ?? "", r.body, r.files, r.now);
    if (effects.pings) fake.notePings(fake.interactions.byToken.get(callback[1] ?? "")?.channelId ?? "", effects.pings);
    return effects.answer;
  }
  const hook = at(path, /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/);
  if (hook) {
    if (hook[0] !== fake.applicationId) return fail(404, 10015, "Unknown Webhook");
    const problems = brokenUnicode(r.body);
    if (problems.length > 0) return invalidForm(problems);
    const token = hook[1] ?? "";
    const channelId = fake.interactions.byToken.get(token)?.channelId ?? fake.channelId;
    const effects = fake.interactions.webhook(method, token, hook[2] ?? "", r.body, r.files, r.now, (b) =>
      fake.message(channelId, b),
    );
    if (effects.pings) fake.notePings(channelId, effects.pings);
    return effects.answer;
  }
  const post = at(path, /^\/channels\/(\d+)\/messages$/);
  if (post && method === "POST") return postMessage(fake, r, post[0] ?? "");
  const one = at(path, /^\/channels\/(\d+)\/messages\/(\d+)$/);
  if (one) return channelMessage(fake, r, one[0] ?? "", one[1] ?? "");
  const expire = at(path, /^\/channels\/(\d+)\/polls\/(\d+)\/expire$/);
  if (expire && method === "POST") {
    const message = fake.channelMessages.get(expire[1] ?? "");
    if (!message || message.channelId !== expire[0] || message.deleted) return fail(404, 10008, "Unknown Message");
    if (!message.poll) return fail(400, 0, "This message has no poll.");
    if (message.pollEnded) return fail(400, 520001, "Poll has already ended.");
    message.pollEnded = true;
    return ok(fake.message(message.channelId, { content: message.content }, message.id));
  }
  const channel = at(path, /^\/channels\/(\d+)$/);
  if (channel && method === "GET") {
    const found = fake.guild.channels.get(channel[0] ?? "");
    if (!found) return fail(404, 10003, "Unknown Channel");
    if ((fake.guild.permissionsIn(found.id) & (1n << 10n)) === 0n) return fail(403, 50001, "Missing Access");
    return ok(fake.guild.partial(found.id, new Date(r.now).toISOString()));
  }
  if (method === "POST" && path === "/users/@me/channels") {
    const recipient = isRecord(r.body) && typeof r.body.recipient_id === "string" ? r.body.recipient_id : "";
    if (!/^\d{17,20}$/.test(recipient)) return invalidForm([{ path: "recipient_id", message: "Not a snowflake." }]);
    fake.dmOpens++;
    return ok({ id: fake.dmChannelOf(recipient), type: 1, recipients: [fake.user({ id: recipient, username: "someone" })] });
  }
  // What the doctor asks: the bot's own account, application and servers.
  if (method === "GET" && path === "/users/@me") return ok(fake.user({ id: fake.applicationId, username: "Teambot" }, true));
  if (method === "GET" && path === "/applications/@me") {
    return ok({ id: fake.applicationId, name: "Teambot", flags: fake.applicationFlags, bot_public: false, bot_require_code_grant: false });
  }
  if (method === "GET" && path === "/users/@me/guilds") {
    return ok([{ id: fake.guildId, name: "Migration team", icon: null, owner: false, permissions: fake.botPermissions, features: [] }]);
  }
  const user = at(path, /^\/users\/(\d+)$/);
  if (user && method === "GET") return ok(fake.user({ id: user[0] ?? "", username: `user${user[0]?.slice(-3)}` }));
  const member = at(path, /^\/guilds\/(\d+)\/members\/(\d+)$/);
  if (member && method === "GET") {
    if (fake.guild.departed.has(member[1] ?? "")) return fail(404, 10007, "Unknown Member");
    return ok({
      user: fake.user(fake.users.get(member[1] ?? "") ?? { id: member[1] ?? "", username: `user${member[1]?.slice(-3)}` }),
      roles: fake.guild.coordinators.has(member[1] ?? "") ? [fake.guild.coordinationRole.id] : [],
      joined_at: new Date(r.now).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
    });
  }
  return fail(404, 0, "Unknown route in the fake Discord");
}
