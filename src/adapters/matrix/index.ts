import path from "node:path";
import type { Config } from "../../config.ts";
import type { Logger } from "../../core/log.ts";
import { type Db, projectRoot } from "../../db/client.ts";
import { MatrixAdapter } from "./matrix-adapter.ts";

export { MatrixAdapter } from "./matrix-adapter.ts";

/** The Matrix adapter as configured by the MATRIX_* variables (see .env.example). */
export function matrixAdapterFromConfig(config: Config, db: Db, log: Logger): MatrixAdapter {
  const homeserverUrl = config.MATRIX_HOMESERVER_URL;
  if (!homeserverUrl) throw new Error("MATRIX_HOMESERVER_URL is not set");
  if (!config.MATRIX_STORE_KEY) throw new Error("MATRIX_STORE_KEY is not set");
  return new MatrixAdapter({
    homeserverUrl,
    ...(config.MATRIX_ACCESS_TOKEN ? { accessToken: config.MATRIX_ACCESS_TOKEN } : {}),
    ...(config.MATRIX_USER_ID ? { userId: config.MATRIX_USER_ID } : {}),
    ...(config.MATRIX_PASSWORD ? { password: config.MATRIX_PASSWORD } : {}),
    inviteAllow: (config.MATRIX_INVITE_ALLOW ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter((e) => e !== ""),
    coordinatorPowerLevel: config.MATRIX_COORDINATOR_POWER_LEVEL,
    // Relative paths are relative to the project folder, as for DATABASE_URL.
    storePath: path.resolve(projectRoot, config.MATRIX_STORE_PATH),
    storeKey: config.MATRIX_STORE_KEY ?? "",
    encryption: config.MATRIX_ENCRYPTION,
    ...(config.MATRIX_RECOVERY_KEY ? { recoveryKey: config.MATRIX_RECOVERY_KEY } : {}),
    language: config.DEFAULT_LANGUAGE,
    db,
    log: log.child({ adapter: "matrix" }),
  });
}
