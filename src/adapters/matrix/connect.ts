import { createClient, type MatrixClient, MemoryStore } from "matrix-js-sdk";
import type { Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";
import { logger as sdkGlobalLogger } from "matrix-js-sdk/lib/logger.js";
import type { Logger } from "../../core/log.ts";
import { type RetryPolicy, withRetry } from "./retry.ts";

export interface Credentials {
  homeserverUrl: string;
  accessToken?: string;
  userId?: string;
  password?: string;
}

/** The device the bot logs in as with a password: the same one on every start, not a new one. */
export const DEVICE_ID = "TEAMBOT";

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

/**
 * Logs in (user id + password) or checks the access token (whoami), then builds the
 * client the adapter syncs with. Transient failures (homeserver restarting, 429) are retried.
 */
export async function connect(
  credentials: Credentials,
  log: Logger,
  retry: RetryPolicy,
  stopped: () => boolean = () => false,
): Promise<MatrixClient> {
  const logger = sdkLogger(log);
  routeGlobalLogger(logger);
  const baseUrl = credentials.homeserverUrl.replace(/\/+$/, "");
  let accessToken = credentials.accessToken;
  let userId: string;
  let deviceId: string | undefined;
  if (accessToken) {
    const probe = createClient({ baseUrl, accessToken, logger });
    const who = await withRetry(() => probe.whoami(), retry, stopped);
    userId = who.user_id;
    deviceId = who.device_id;
  } else {
    if (!credentials.userId || !credentials.password) {
      throw new Error("Matrix needs MATRIX_ACCESS_TOKEN or MATRIX_USER_ID and MATRIX_PASSWORD");
    }
    const anonymous = createClient({ baseUrl, logger });
    const user = credentials.userId;
    const password = credentials.password;
    const login = await withRetry(
      () =>
        anonymous.loginRequest({
          type: "m.login.password",
          identifier: { type: "m.id.user", user },
          password,
          device_id: DEVICE_ID,
          initial_device_display_name: "Teambot",
        }),
      retry,
      stopped,
    );
    accessToken = login.access_token;
    userId = login.user_id;
    deviceId = login.device_id;
  }
  return createClient({
    baseUrl,
    accessToken,
    userId,
    ...(deviceId ? { deviceId } : {}),
    store: new MemoryStore(),
    logger,
  });
}
