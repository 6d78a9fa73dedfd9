/**
 * The end-to-end encryption part of the fake homeserver: device keys, one-time keys,
 * cross-signing keys (with user-interactive auth as the spec has it), to-device messages
 * and key backup, for the bot's own account. Strict where the SDK could go wrong: keys
 * must name the uploading device, replacing cross-signing keys needs the password.
 */

type Json = Record<string, unknown>;

export interface KeyRoute {
  method: string;
  pattern: RegExp;
  handle(params: string[], body: Json, who: { userId: string; deviceId: string }): { status: number; body: unknown };
}

const ok = (body: unknown) => ({ status: 200, body });
const error = (status: number, errcode: string, message: string) => ({ status, body: { errcode, error: message } });

export class FakeKeys {
  /** userId -> deviceId -> signed device keys. */
  readonly deviceKeys = new Map<string, Map<string, Json>>();
  /** "user|device" -> key id -> one-time key. */
  readonly oneTimeKeys = new Map<string, Map<string, unknown>>();
  readonly fallbackKeys = new Map<string, Map<string, unknown>>();
  /** userId -> { master, self_signing, user_signing }. */
  readonly crossSigning = new Map<string, Json>();
  /** "user|device" -> to-device events not yet acknowledged, with their stream position. */
  readonly toDevice = new Map<string, { pos: number; event: Json }[]>();
  readonly backups: { version: string; algorithm: string; auth_data: Json; keys: Json }[] = [];
  /** Requests that needed the password step and got it. */
  passwordAuths = 0;

  private readonly password: string;
  /** Takes the next stream position (and wakes waiting syncs). */
  private readonly nextPos: () => number;

  constructor(password: string, nextPos: () => number) {
    this.password = password;
    this.nextPos = nextPos;
  }

  oneTimeKeyCounts(userId: string, deviceId: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const id of this.oneTimeKeys.get(`${userId}|${deviceId}`)?.keys() ?? []) {
      const algorithm = id.split(":")[0] ?? "";
      counts[algorithm] = (counts[algorithm] ?? 0) + 1;
    }
    return counts;
  }

  /** As the spec has it: a sync with `since` acknowledges what came before; the rest is (re)sent. */
  toDeviceFor(userId: string, deviceId: string, since: number | undefined): Json[] {
    const key = `${userId}|${deviceId}`;
    const pending = (this.toDevice.get(key) ?? []).filter((e) => since === undefined || e.pos > since);
    this.toDevice.set(key, pending);
    return pending.map((e) => e.event);
  }

  readonly routes: KeyRoute[] = [
    {
      method: "POST",
      pattern: /^\/keys\/upload$/,
      handle: (_p, body, who) => {
        const device = body.device_keys as Json | undefined;
        if (device) {
          if (device.user_id !== who.userId || device.device_id !== who.deviceId) {
            return error(400, "M_INVALID_PARAM", "device_keys must be those of the uploading device");
          }
          const mine = this.deviceKeys.get(who.userId) ?? new Map<string, Json>();
          mine.set(who.deviceId, device);
          this.deviceKeys.set(who.userId, mine);
        }
        const key = `${who.userId}|${who.deviceId}`;
        const otks = this.oneTimeKeys.get(key) ?? new Map<string, unknown>();
        for (const [id, value] of Object.entries((body.one_time_keys as Json | undefined) ?? {})) otks.set(id, value);
        this.oneTimeKeys.set(key, otks);
        const fallback = this.fallbackKeys.get(key) ?? new Map<string, unknown>();
        for (const [id, value] of Object.entries((body.fallback_keys as Json | undefined) ?? {})) fallback.set(id, value);
        this.fallbackKeys.set(key, fallback);
        return ok({ one_time_key_counts: this.oneTimeKeyCounts(who.userId, who.deviceId) });
      },
    },
    {
      method: "POST",
      pattern: /^\/keys\/query$/,
      handle: (_p, body) => {
        const wanted = Object.keys((body.device_keys as Json | undefined) ?? {});
        const devices: Json = {};
        const master: Json = {};
        const selfSigning: Json = {};
        const userSigning: Json = {};
        for (const user of wanted) {
          devices[user] = Object.fromEntries(this.deviceKeys.get(user) ?? []);
          const cs = this.crossSigning.get(user);
          if (cs?.master_key) master[user] = cs.master_key;
          if (cs?.self_signing_key) selfSigning[user] = cs.self_signing_key;
          if (cs?.user_signing_key) userSigning[user] = cs.user_signing_key;
        }
        return ok({
          device_keys: devices,
          master_keys: master,
          self_signing_keys: selfSigning,
          user_signing_keys: userSigning,
          failures: {},
        });
      },
    },
    {
      method: "POST",
      pattern: /^\/keys\/claim$/,
      handle: (_p, body) => {
        const claimed: Json = {};
        for (const [user, devices] of Object.entries((body.one_time_keys as Json | undefined) ?? {})) {
          const forUser: Json = {};
          for (const [device, algorithm] of Object.entries(devices as Json)) {
            const key = `${user}|${device}`;
            const pool = this.oneTimeKeys.get(key);
            const id = [...(pool?.keys() ?? [])].find((k) => k.startsWith(`${String(algorithm)}:`));
            if (id && pool) {
              forUser[device] = { [id]: pool.get(id) };
              pool.delete(id);
              continue;
            }
            const fallback = [...(this.fallbackKeys.get(key)?.entries() ?? [])].find(([k]) =>
              k.startsWith(`${String(algorithm)}:`),
            );
            if (fallback) forUser[device] = { [fallback[0]]: fallback[1] };
          }
          claimed[user] = forUser;
        }
        return ok({ one_time_keys: claimed, failures: {} });
      },
    },
    {
      method: "PUT",
      pattern: /^\/sendToDevice\/([^/]+)\/([^/]+)$/,
      handle: ([type = ""], body, who) => {
        for (const [user, devices] of Object.entries((body.messages as Json | undefined) ?? {})) {
          for (const [device, content] of Object.entries(devices as Json)) {
            const targets = device === "*" ? [...(this.deviceKeys.get(user)?.keys() ?? [])] : [device];
            for (const target of targets) {
              const key = `${user}|${target}`;
              const event = { type, sender: who.userId, content };
              this.toDevice.set(key, [...(this.toDevice.get(key) ?? []), { pos: this.nextPos(), event }]);
            }
          }
        }
        return ok({});
      },
    },
    {
      method: "POST",
      pattern: /^\/keys\/device_signing\/upload$/,
      handle: (_p, body, who) => {
        const existing = this.crossSigning.get(who.userId);
        if (existing) {
          const auth = body.auth as Json | undefined;
          if (!auth) {
            return {
              status: 401,
              body: { flows: [{ stages: ["m.login.password"] }], params: {}, session: "uia-1" },
            };
          }
          if (auth.type !== "m.login.password" || auth.password !== this.password || auth.session !== "uia-1") {
            return error(403, "M_FORBIDDEN", "Invalid password");
          }
          this.passwordAuths++;
        }
        const { auth: _auth, ...keys } = body;
        this.crossSigning.set(who.userId, { ...existing, ...keys });
        return ok({});
      },
    },
    {
      method: "POST",
      pattern: /^\/keys\/signatures\/upload$/,
      handle: (_p, body) => {
        for (const [user, objects] of Object.entries(body)) {
          for (const [id, signed] of Object.entries(objects as Json)) {
            const signatures = (signed as Json).signatures as Record<string, Json> | undefined;
            const device = this.deviceKeys.get(user)?.get(id);
            const cs = this.crossSigning.get(user);
            const master = cs?.master_key as Json | undefined;
            const target =
              device ?? (master && Object.keys((master.keys as Json | undefined) ?? {}).includes(`ed25519:${id}`) ? master : undefined);
            if (!target || !signatures) continue;
            const merged = { ...(target.signatures as Record<string, Json> | undefined) };
            for (const [signer, sigs] of Object.entries(signatures)) merged[signer] = { ...merged[signer], ...sigs };
            target.signatures = merged;
          }
        }
        return ok({ failures: {} });
      },
    },
    {
      method: "GET",
      pattern: /^\/room_keys\/version$/,
      handle: () => {
        const latest = this.backups.at(-1);
        if (!latest) return error(404, "M_NOT_FOUND", "No current backup version");
        return ok(this.backupInfo(latest));
      },
    },
    {
      method: "GET",
      pattern: /^\/room_keys\/version\/([^/]+)$/,
      handle: ([version = ""]) => {
        const backup = this.backups.find((b) => b.version === version);
        return backup ? ok(this.backupInfo(backup)) : error(404, "M_NOT_FOUND", "Unknown backup version");
      },
    },
    {
      method: "POST",
      pattern: /^\/room_keys\/version$/,
      handle: (_p, body) => {
        const version = String(this.backups.length + 1);
        this.backups.push({ version, algorithm: String(body.algorithm), auth_data: body.auth_data as Json, keys: {} });
        return ok({ version });
      },
    },
    {
      method: "PUT",
      pattern: /^\/room_keys\/keys$/,
      handle: (_p, body) => {
        const latest = this.backups.at(-1);
        if (!latest) return error(404, "M_NOT_FOUND", "No current backup version");
        const rooms = (body.rooms as Json | undefined) ?? {};
        latest.keys = { ...latest.keys, ...rooms };
        return ok({ etag: String(Object.keys(latest.keys).length), count: this.countKeys(latest.keys) });
      },
    },
    {
      method: "GET",
      pattern: /^\/room_keys\/keys$/,
      handle: () => ok({ rooms: this.backups.at(-1)?.keys ?? {} }),
    },
  ];

  private backupInfo(backup: FakeKeys["backups"][number]): Json {
    return {
      version: backup.version,
      algorithm: backup.algorithm,
      auth_data: backup.auth_data,
      count: this.countKeys(backup.keys),
      etag: String(Object.keys(backup.keys).length),
    };
  }

  private countKeys(rooms: Json): number {
    return Object.values(rooms).reduce<number>(
      (n, room) => n + Object.keys(((room as Json).sessions as Json | undefined) ?? {}).length,
      0,
    );
  }
}
