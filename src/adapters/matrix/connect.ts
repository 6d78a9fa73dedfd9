import { LoggerLevel, Tracing } from "@matrix-org/matrix-sdk-crypto-wasm";
import { createClient, type MatrixClient, MatrixError, MemoryStore } from "matrix-js-sdk";
import type { CryptoCallbacks } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";
import { logger as sdkGlobalLogger } from "matrix-js-sdk/lib/logger.js";
import type { Logger } from "../../core/log.ts";
import { type RetryPolicy, withRetry } from "./retry.ts";
import { SessionKeeper } from "./session.ts";
import { uiaSession } from "./trust.ts";
import type { Session, SessionFile } from "./session-file.ts";

export interface Credentials {
  homeserverUrl: string;
  accessToken?: string;
  userId?: string;
  password?: string;
}

/** The display name of the bot's device, as other clients list it. */
export const DEVICE_NAME = "Teambot";

/** The SDK's own chatter goes to our log at debug level (it logs expected 404s as errors). */
function sdkLogger(log: Logger, namespace = "matrix-sdk"): SdkLogger {
  const write =
    (level: "trace" | "debug") =>
    (...msg: unknown[]): void => {
      log[level]({ sdk: namespace }, msg.map((m) => (m instanceof Error ? m.message : String(m))).join(" "));
    };
  return {
    trace: write("trace"),
    debug: write("debug"),
    info: write("debug"),
    warn: write("debug"),
    error: write("debug"),
    getChild: (child: string) => sdkLogger(log, `${namespace}.${child}`),
  };
}

/** What matrix-js-sdk's global logger is underneath (a loglevel logger); typed here, not exported by it. */
interface LoglevelLike {
  methodFactory?: (method: string) => (...msg: unknown[]) => void;
  setLevel?: (level: string, persist?: boolean) => void;
  rebuild?: () => void;
}

/**
 * Modules of the SDK log through its global logger (and child loggers made from it later),
 * which writes to the console, whose stdout belongs to the console adapter: route it to ours.
 */
function routeGlobalLogger(logger: SdkLogger): void {
  // Deprecated for clients, but the SDK's own modules log through it: routing it is the only
  // way to keep their output off the console adapter's stdout.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const global = sdkGlobalLogger as unknown as LoglevelLike;
  global.methodFactory = () => logger.debug;
  global.setLevel?.("debug", false);
  global.rebuild?.();
}

export interface ConnectOptions extends Credentials {
  /** The session file (token, device, crypto store), encrypted with MATRIX_STORE_KEY. */
  sessionFile: SessionFile;
  storeKey: string;
  encryption: boolean;
  cryptoCallbacks?: CryptoCallbacks;
}

export interface Connection {
  client: MatrixClient;
  keeper: SessionKeeper;
  /** Whether the crypto store came from the session file (false: a new device, or no encryption). */
  restoredKeys: boolean;
}

/**
 * Picks up the stored session (same token, same device) or logs in once and stores it, then
 * builds the client the adapter syncs with and, with encryption, starts the Rust crypto on
 * the restored store. Transient failures (homeserver restarting, 429) are retried.
 */
export async function connect(
  options: ConnectOptions,
  log: Logger,
  retry: RetryPolicy,
  stopped: () => boolean = () => false,
): Promise<Connection> {
  const logger = sdkLogger(log);
  routeGlobalLogger(logger);
  const baseUrl = options.homeserverUrl.replace(/\/+$/, "");
  const session = await sessionFor(options, baseUrl, logger, log, retry, stopped);
  const keeper = new SessionKeeper(options.sessionFile, session, log);
  const client = createClient({
    baseUrl,
    accessToken: session.accessToken,
    userId: session.userId,
    deviceId: session.deviceId,
    store: new MemoryStore(),
    logger,
    fetchFn: keeper.fetchFn(),
    ...(options.cryptoCallbacks ? { cryptoCallbacks: options.cryptoCallbacks } : {}),
  });
  let restoredKeys = false;
  if (options.encryption) {
    restoredKeys = await keeper.openCryptoStore();
    await client.initRustCrypto({ useIndexedDB: true, storageKey: SessionKeeper.storageKey(options.storeKey) });
    quietRustTracing();
    log.info(
      { deviceId: session.deviceId, restoredKeys },
      restoredKeys ? "matrix: encryption keys restored" : "matrix: encryption keys created for a new device",
    );
  }
  await keeper.save();
  return { client, keeper, restoredKeys };
}

/** The stored session if it still works for this account, else a new one (password login, or the given token). */
async function sessionFor(
  options: ConnectOptions,
  baseUrl: string,
  logger: SdkLogger,
  log: Logger,
  retry: RetryPolicy,
  stopped: () => boolean,
): Promise<Session> {
  const file = options.sessionFile;
  let saved = await file.load();
  const setAside = async (why: string) => {
    const aside = await file.setAside();
    log.warn({ file: aside }, `matrix: stored session set aside: ${why}`);
    saved = undefined;
  };
  if (saved && (saved.homeserverUrl !== baseUrl || (options.userId && saved.userId !== options.userId))) {
    await setAside("it is for another homeserver or account");
  }
  if (options.accessToken) {
    const who = await whoami(baseUrl, options.accessToken, logger, retry, stopped);
    if (!who.device_id) throw new Error("MATRIX_ACCESS_TOKEN has no device; log in with a client to get one");
    if (saved && (saved.userId !== who.user_id || saved.deviceId !== who.device_id)) {
      await setAside("MATRIX_ACCESS_TOKEN belongs to another device");
    }
    const base = { homeserverUrl: baseUrl, userId: who.user_id, deviceId: who.device_id };
    return saved ? { ...saved, accessToken: options.accessToken } : { ...base, accessToken: options.accessToken, fromPassword: false };
  }
  if (saved) {
    try {
      const who = await whoami(baseUrl, saved.accessToken, logger, retry, stopped);
      if (who.user_id === saved.userId && who.device_id === saved.deviceId) return saved;
      await setAside("its token belongs to another device");
    } catch (error) {
      if (!(error instanceof MatrixError) || error.errcode !== "M_UNKNOWN_TOKEN") throw error;
      await setAside("its access token is no longer valid (logged out?); logging in as a new device");
    }
  }
  if (!options.userId || !options.password) {
    throw new Error("Matrix needs MATRIX_ACCESS_TOKEN or MATRIX_USER_ID and MATRIX_PASSWORD");
  }
  const anonymous = createClient({ baseUrl, logger });
  const user = options.userId;
  const password = options.password;
  const login = await withRetry(
    () =>
      anonymous.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user },
        password,
        initial_device_display_name: DEVICE_NAME,
      }),
    retry,
    stopped,
  );
  log.info({ deviceId: login.device_id }, "matrix: logged in with the password (once; the token is kept)");
  const session: Session = {
    homeserverUrl: baseUrl,
    userId: login.user_id,
    deviceId: login.device_id,
    accessToken: login.access_token,
    fromPassword: true,
  };
  // Saved at once: a crash now must not cost another login (another device).
  await file.save(session);
  await removeOldDevices(createClient({ baseUrl, accessToken: login.access_token, userId: login.user_id, logger }), login.device_id, user, password, log);
  return session;
}

/**
 * A password login means the previous device's keys are gone (or there never was one):
 * earlier Teambot devices of the account are deleted, so members see one bot device, not
 * an unverified one beside it (their access tokens go with them). Best effort.
 */
async function removeOldDevices(
  client: MatrixClient,
  current: string,
  user: string,
  password: string,
  log: Logger,
): Promise<void> {
  try {
    const { devices } = await client.getDevices();
    const old = devices.filter((d) => d.device_id !== current && d.display_name === DEVICE_NAME).map((d) => d.device_id);
    if (old.length === 0) return;
    try {
      await client.deleteMultipleDevices(old);
    } catch (error) {
      const session = uiaSession(error);
      if (session === undefined) throw error;
      await client.deleteMultipleDevices(old, {
        type: "m.login.password",
        identifier: { type: "m.id.user", user },
        password,
        session,
      });
    }
    log.info({ devices: old }, "matrix: earlier Teambot devices removed");
  } catch (error) {
    log.warn({ err: error }, "matrix: earlier Teambot devices not removed");
  }
}

async function whoami(
  baseUrl: string,
  accessToken: string,
  logger: SdkLogger,
  retry: RetryPolicy,
  stopped: () => boolean,
): Promise<{ user_id: string; device_id?: string }> {
  const probe = createClient({ baseUrl, accessToken, logger });
  return withRetry(() => probe.whoami(), retry, stopped);
}

/** The Rust crypto's tracing writes to console.debug/info (stdout, the console adapter's): warnings only. */
function quietRustTracing(): void {
  try {
    new Tracing(LoggerLevel.Warn).turnOn();
  } catch {
    // Tracing is not built into every release of the library.
  }
}
