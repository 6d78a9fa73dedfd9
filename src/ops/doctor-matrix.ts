import { z } from "zod";
import { bodyOf, type Check, describeAnswer, fail, type HttpAnswer, ok, request, unknown, warn } from "./checks.ts";

export interface MatrixCheckOptions {
  homeserverUrl: string;
  accessToken?: string | undefined;
  userId?: string | undefined;
  password?: string | undefined;
  /** Team rooms from the database: "matrix:!room:server". */
  teamRooms: readonly string[];
  signal?: AbortSignal | undefined;
}

/**
 * With a password the doctor logs in as a device of its own and logs out afterwards: logging
 * in as the bot's device would end the running bot's session.
 */
export const DOCTOR_DEVICE_ID = "TEAMBOT-DOCTOR";
/** Enough for a city's rooms; beyond that, a sample. */
const maxRooms = 100;
/** What the bot sends: messages and native polls. */
const sentTypes = ["m.room.message", "org.matrix.msc3381.poll.start"];

const versionsSchema = z.object({ versions: z.array(z.string()) });
const whoamiSchema = z.object({ user_id: z.string(), device_id: z.string().optional() });
const loginSchema = z.object({ access_token: z.string(), user_id: z.string() });
const stateSchema = z.array(
  z.object({ type: z.string(), state_key: z.string().optional(), content: z.record(z.string(), z.unknown()) }),
);
const powerLevelsSchema = z.object({
  users: z.record(z.string(), z.number()).optional(),
  users_default: z.number().optional(),
  events: z.record(z.string(), z.number()).optional(),
  events_default: z.number().optional(),
});

/** The homeserver, the bot's token and account, and every room it is in or a team uses. */
export async function checkMatrix(options: MatrixCheckOptions): Promise<Check[]> {
  const base = options.homeserverUrl.replace(/\/+$/, "");
  const call = (route: string, token?: string, init: { method?: string; body?: unknown } = {}) =>
    request(`${base}/_matrix/client${route}`, {
      ...init,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: options.signal,
    });
  const versions = await call("/versions");
  const spec = bodyOf(versions, versionsSchema);
  if (!spec) {
    const what = versions.status === "unreachable" ? describeAnswer(versions) : `not a Matrix homeserver (${describeAnswer(versions)})`;
    return [fail("matrix homeserver", `${base} is ${what}: check MATRIX_HOMESERVER_URL (e.g. https://matrix.example.org)`)];
  }
  const checks = [ok("matrix homeserver", `${base} answers (Matrix ${spec.versions.at(-1) ?? "?"})`)];

  let token = options.accessToken;
  let loggedIn = false;
  if (!token) {
    const login = await call("/v3/login", undefined, {
      method: "POST",
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: options.userId },
        password: options.password,
        device_id: DOCTOR_DEVICE_ID,
        initial_device_display_name: "Teambot doctor",
      },
    });
    const session = bodyOf(login, loginSchema);
    if (!session) {
      return [...checks, fail("matrix login", `the homeserver refused MATRIX_USER_ID and MATRIX_PASSWORD (${describeAnswer(login)}): check them`)];
    }
    token = session.access_token;
    loggedIn = true;
  }
  try {
    checks.push(...(await checkAccount(options, (route) => call(route, token))));
  } finally {
    if (loggedIn) await call("/v3/logout", token, { method: "POST", body: {} });
  }
  return checks;
}

async function checkAccount(options: MatrixCheckOptions, get: (route: string) => Promise<HttpAnswer>): Promise<Check[]> {
  const who = await get("/v3/account/whoami");
  const me = bodyOf(who, whoamiSchema);
  if (!me) {
    const hint =
      who.status === 401
        ? 'log in again (README, "Connect a Matrix account") and set the new MATRIX_ACCESS_TOKEN'
        : "check MATRIX_HOMESERVER_URL and the credentials";
    return [fail("matrix token", `the homeserver refused the bot's token (${describeAnswer(who)}): ${hint}`)];
  }
  const checks: Check[] = [];
  if (options.userId && options.userId !== me.user_id) {
    checks.push(warn("matrix account", `the token belongs to ${me.user_id}, but MATRIX_USER_ID is ${options.userId}`));
  }
  checks.push(ok("matrix token", `works: the bot is ${me.user_id}${me.device_id ? ` (device ${me.device_id})` : ""}`));

  const joined = bodyOf(await get("/v3/joined_rooms"), z.object({ joined_rooms: z.array(z.string()) }));
  if (!joined) return [...checks, warn("matrix rooms", "the homeserver did not list the bot's rooms")];
  const teamRooms = options.teamRooms.filter((r) => r.startsWith("matrix:!")).map((r) => r.slice("matrix:".length));
  const rooms = [...new Set([...joined.joined_rooms, ...teamRooms])];
  const problems: Check[] = [];
  const encrypted: string[] = [];
  let fine = 0;
  for (const roomId of rooms.slice(0, maxRooms)) {
    const isMember = joined.joined_rooms.includes(roomId);
    const team = teamRooms.includes(roomId) ? " (a team's room)" : "";
    if (!isMember) {
      problems.push(fail("matrix room", `the bot cannot read ${roomId}${team}: it is not a member any more; invite it again`));
      continue;
    }
    const answer = await get(`/v3/rooms/${encodeURIComponent(roomId)}/state`);
    const state = bodyOf(answer, stateSchema);
    if (!state) {
      problems.push(fail("matrix room", `the bot cannot read ${roomId}${team} (${describeAnswer(answer)}): invite it again`));
      continue;
    }
    const find = (type: string) => state.find((e) => e.type === type && (e.state_key ?? "") === "")?.content;
    const name = typeof find("m.room.name")?.name === "string" ? `"${String(find("m.room.name")?.name)}" ` : "";
    const levels = powerLevelsSchema.safeParse(find("m.room.power_levels") ?? {});
    const needed = levels.success ? neededLevel(levels.data) : 0;
    const has = levels.success ? (levels.data.users?.[me.user_id] ?? levels.data.users_default ?? 0) : 0;
    if (find("m.room.power_levels") && has < needed) {
      problems.push(fail("matrix room", `the bot may not post in ${name}${roomId}${team}: it has power level ${has}, posting needs ${needed}`));
      continue;
    }
    // ENCRYPTION CHECK: the room's encryption is read from its state; whether the bot can
    // decrypt it is reported as unknown until the adapter supports end-to-end encryption.
    if (find("m.room.encryption")) encrypted.push(`${name}${roomId}`);
    fine++;
  }
  checks.push(...problems);
  if (encrypted.length > 0) {
    checks.push(unknown("matrix encryption", `encrypted: ${encrypted.join(", ")}; whether the bot can decrypt them is not checked yet`));
  }
  const sample = rooms.length > maxRooms ? ` (checked the first ${maxRooms} of ${rooms.length})` : "";
  if (rooms.length === 0) checks.push(warn("matrix rooms", "the bot is in no room yet: invite it to the team's room"));
  else if (problems.length === 0) checks.push(ok("matrix rooms", `reads and may post in all ${fine} rooms${sample}`));
  return checks;
}

/** The power level needed to send what the bot sends. */
function neededLevel(levels: z.infer<typeof powerLevelsSchema>): number {
  return Math.max(...sentTypes.map((type) => levels.events?.[type] ?? levels.events_default ?? 0));
}
