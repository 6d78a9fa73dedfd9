import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { z } from "zod";
import type { DumpedDatabase } from "./crypto-store.ts";

/**
 * What the bot keeps between starts, together because they belong together: the access
 * token, the device it belongs to, and that device's crypto store (keys). A new login is a
 * new device that cannot read what was encrypted for the old one.
 */
export interface Session {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
  /** The token came from our own password login (so we may log in again when it is revoked). */
  fromPassword: boolean;
  /** The crypto store's IndexedDB databases; absent before encryption first ran. */
  crypto?: DumpedDatabase[];
}

const sessionSchema = z.object({
  homeserverUrl: z.string(),
  userId: z.string(),
  deviceId: z.string(),
  accessToken: z.string(),
  fromPassword: z.boolean(),
  crypto: z.array(z.custom<DumpedDatabase>((v) => typeof v === "object" && v !== null)).optional(),
});

const MAGIC = Buffer.from("TBMX1\n");
const SALT = 16;
const IV = 12;
const TAG = 16;

export class SessionKeyError extends Error {}

/**
 * The session file: AES-256-GCM with a key derived (scrypt, salt in the file) from
 * MATRIX_STORE_KEY, written atomically (temporary file, fsync, rename) with mode 0600.
 */
export class SessionFile {
  private key: Promise<{ salt: Buffer; key: Buffer }> | undefined;
  readonly file: string;
  private readonly secret: string;

  constructor(file: string, secret: string) {
    this.file = file;
    this.secret = secret;
  }

  /** The stored session, undefined if there is none; throws SessionKeyError when the key does not open it. */
  async load(): Promise<Session | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    if (!data.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new SessionKeyError(`${this.file} is not a Teambot Matrix session file`);
    }
    const salt = data.subarray(MAGIC.length, MAGIC.length + SALT);
    const iv = data.subarray(MAGIC.length + SALT, MAGIC.length + SALT + IV);
    const tag = data.subarray(MAGIC.length + SALT + IV, MAGIC.length + SALT + IV + TAG);
    const body = data.subarray(MAGIC.length + SALT + IV + TAG);
    const key = await derive(this.secret, salt);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new SessionKeyError(
        `MATRIX_STORE_KEY does not open ${this.file} (wrong key or damaged file)`,
      );
    }
    this.key = Promise.resolve({ salt: Buffer.from(salt), key });
    const parsed = sessionSchema.safeParse(deserialize(plain));
    if (!parsed.success) throw new SessionKeyError(`${this.file} has an unknown layout`);
    const { crypto, ...rest } = parsed.data;
    return crypto ? { ...rest, crypto } : rest;
  }

  async save(session: Session): Promise<void> {
    this.key ??= (async () => {
      const salt = randomBytes(SALT);
      return { salt, key: await derive(this.secret, salt) };
    })();
    const { salt, key } = await this.key;
    const iv = randomBytes(IV);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update(serialize(session)), cipher.final()]);
    const data = Buffer.concat([MAGIC, salt, iv, cipher.getAuthTag(), body]);
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(tmp, "w", 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
  }

  /** Moves the file aside (a session for another device or account), keeping it for the operator. */
  async setAside(): Promise<string> {
    const aside = `${this.file}.old`;
    await rm(aside, { force: true });
    await rename(this.file, aside);
    return aside;
  }
}

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
