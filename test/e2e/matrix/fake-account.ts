import type { KeyRoute } from "./fake-keys.ts";

type Json = Record<string, unknown>;

/**
 * The bot's account on the fake homeserver: password login (a new access token every time,
 * a new device unless one is named, as Synapse does), the device list, and deleting
 * devices with user-interactive auth.
 */
export class FakeAccount {
  /** Valid access tokens and their devices (a login adds one; logout removes it). */
  readonly tokens = new Map<string, string>([["bot-access-token", "FAKEDEVICE"]]);
  /** The devices and their display names. */
  readonly deviceNames = new Map<string, string>([["FAKEDEVICE", ""]]);
  private next = 1;
  private readonly userId: string;
  private readonly password: string;
  /** Called for a deleted device (its keys go too). */
  private readonly onDelete: (deviceId: string) => void;

  constructor(userId: string, password: string, onDelete: (deviceId: string) => void) {
    this.userId = userId;
    this.password = password;
    this.onDelete = onDelete;
  }

  /** The device of an `Authorization: Bearer` header, or undefined for an unknown token. */
  deviceOf(authorization: string | undefined): string | undefined {
    return this.tokens.get((authorization ?? "").replace(/^Bearer /, ""));
  }

  login(body: Json): { status: number; body: Json } {
    const identifier = body.identifier as { user?: string } | undefined;
    const user = identifier?.user ?? body.user;
    if ((user !== this.userId && user !== "teambot") || body.password !== this.password) {
      return { status: 403, body: { errcode: "M_FORBIDDEN", error: "Invalid username or password" } };
    }
    const token = `bot-token-${this.next++}`;
    const deviceId = typeof body.device_id === "string" ? body.device_id : `DEV${this.next++}`;
    this.tokens.set(token, deviceId);
    const name = body.initial_device_display_name;
    if (!this.deviceNames.has(deviceId)) this.deviceNames.set(deviceId, typeof name === "string" ? name : "");
    return { status: 200, body: { user_id: this.userId, access_token: token, device_id: deviceId } };
  }

  /** Logs a device out, as an operator would in a client: its tokens stop working. */
  logout(deviceId: string): void {
    for (const [token, device] of this.tokens) if (device === deviceId) this.tokens.delete(token);
  }

  readonly routes: KeyRoute[] = [
    {
      method: "POST",
      pattern: /^\/logout$/,
      handle: (_p, _b, who) => {
        this.logout(who.deviceId);
        return { status: 200, body: {} };
      },
    },
    {
      method: "GET",
      pattern: /^\/devices$/,
      handle: () => ({
        status: 200,
        body: { devices: [...this.deviceNames].map(([device_id, display_name]) => ({ device_id, display_name })) },
      }),
    },
    {
      method: "POST",
      pattern: /^\/delete_devices$/,
      handle: (_p, body) => {
        // User-interactive auth as the spec has it: the password, in the session offered.
        const auth = body.auth as { type?: string; password?: string; session?: string } | undefined;
        if (!auth) {
          return { status: 401, body: { flows: [{ stages: ["m.login.password"] }], params: {}, session: "uia-devices" } };
        }
        if (auth.type !== "m.login.password" || auth.password !== this.password || auth.session !== "uia-devices") {
          return { status: 403, body: { errcode: "M_FORBIDDEN", error: "Invalid password" } };
        }
        const devices = Array.isArray(body.devices) ? body.devices.map(String) : [];
        for (const device of devices) {
          this.logout(device);
          this.deviceNames.delete(device);
          this.onDelete(device);
        }
        return { status: 200, body: {} };
      },
    },
  ];
}
