import { type MatrixClient, MatrixError } from "matrix-js-sdk";
import { type CryptoCallbacks, decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { AuthDict, UIAuthCallback } from "matrix-js-sdk/lib/interactive-auth.js";
import type { Logger } from "../../core/log.ts";

/** The account's recovery key (Element's "security key"), decoded; throws a clear error when malformed. */
export function readRecoveryKey(text: string): Uint8Array<ArrayBuffer> {
  try {
    return decodeRecoveryKey(text.trim());
  } catch {
    throw new Error("MATRIX_RECOVERY_KEY is not a valid recovery key (check it character by character)");
  }
}

/**
 * Gives the crypto the recovery key when it opens secret storage (the account's
 * cross-signing keys and key-backup key, stored encrypted on the homeserver).
 */
export class RecoveryKeyProvider {
  client: MatrixClient | undefined;
  readonly key: Uint8Array<ArrayBuffer> | undefined;

  constructor(key: Uint8Array<ArrayBuffer> | undefined) {
    this.key = key;
  }

  readonly callbacks: CryptoCallbacks = {
    getSecretStorageKey: async ({ keys }) => {
      const { key, client } = this;
      if (!key || !client) return null;
      for (const [id, info] of Object.entries(keys)) {
        if (await client.secretStorage.checkKey(key, info)) return [id, key];
      }
      return null;
    },
  };
}

export interface TrustOptions {
  recoveryKey: Uint8Array<ArrayBuffer> | undefined;
  /** For the password step the homeserver may ask before cross-signing keys are replaced. */
  password?: string;
  /** The crypto store came from the session file (false: a new device, which restores the key backup). */
  restoredKeys: boolean;
  log: Logger;
}

export interface TrustState {
  crossSigned: boolean;
  backupVersion: string | null;
}

/**
 * With the recovery key: opens (or, on a fresh account, creates) secret storage, signs the
 * bot's device with the account's self-signing key so other clients show it verified, and
 * turns on key backup (creating one if the account has none). A new device restores the
 * room keys from the backup. Without the key: says what is missing, changes nothing.
 */
export async function establishTrust(client: MatrixClient, options: TrustOptions): Promise<TrustState> {
  const { log, recoveryKey } = options;
  const crypto = client.getCrypto();
  if (!crypto) return { crossSigned: false, backupVersion: null };
  const userId = client.getSafeUserId();
  const deviceId = client.getDeviceId() ?? "";
  if (!recoveryKey) {
    log.warn(
      "matrix: MATRIX_RECOVERY_KEY is not set: the bot's device stays unverified and its room keys are not backed up",
    );
    return state(client);
  }
  const existing = await client.secretStorage.getKey();
  if (existing) {
    const [, info] = existing;
    if (!(await client.secretStorage.checkKey(recoveryKey, info))) {
      log.error("matrix: MATRIX_RECOVERY_KEY is not this account's recovery key: device not cross-signed");
      return state(client);
    }
  }
  // A new device knows the account's cross-signing public keys only after asking the
  // homeserver; without them importing the private keys from secret storage fails.
  await crypto.userHasCrossSigningKeys(userId, true);
  await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: passwordAuth(userId, options.password) });
  if (!existing) {
    log.info("matrix: no secret storage on the account yet: creating it with MATRIX_RECOVERY_KEY");
    await crypto.bootstrapSecretStorage({
      createSecretStorageKey: () => Promise.resolve({ privateKey: recoveryKey, keyInfo: { name: "Teambot" } }),
    });
  }
  const backup = await crypto.getKeyBackupInfo();
  if (!backup?.version) {
    log.info("matrix: no key backup on the account yet: creating one");
    await crypto.resetKeyBackup();
  } else if (!(await crypto.getSessionBackupPrivateKey())) {
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
  }
  await crypto.checkKeyBackupAndEnable();
  const result = await state(client);
  log.info({ deviceId, ...result }, "matrix: device cross-signed, key backup on");
  if (!options.restoredKeys && result.backupVersion) {
    try {
      const restored = await crypto.restoreKeyBackup();
      log.info({ imported: restored.imported, total: restored.total }, "matrix: room keys restored from key backup");
    } catch (error) {
      log.warn({ err: error }, "matrix: key backup not restored");
    }
  }
  return result;
}

async function state(client: MatrixClient): Promise<TrustState> {
  const crypto = client.getCrypto();
  const status = crypto
    ? await crypto.getDeviceVerificationStatus(client.getSafeUserId(), client.getDeviceId() ?? "")
    : null;
  return {
    crossSigned: status?.signedByOwner ?? false,
    backupVersion: (await crypto?.getActiveSessionBackupVersion()) ?? null,
  };
}

/** The session of the homeserver's user-interactive auth an error asks for (401 with `session`), if any. */
export function uiaSession(error: unknown): string | undefined {
  const data: unknown = error instanceof MatrixError ? error.data : undefined;
  if (typeof data !== "object" || data === null || !("session" in data)) return undefined;
  return typeof data.session === "string" ? data.session : undefined;
}

/** Answers the homeserver's user-interactive auth with the password, when it asks and we have one. */
function passwordAuth(userId: string, password: string | undefined): UIAuthCallback<void> {
  return async (makeRequest) => {
    try {
      await makeRequest(null);
    } catch (error) {
      const session = uiaSession(error);
      if (!password || session === undefined) throw error;
      const auth: AuthDict = { type: "m.login.password", identifier: { type: "m.id.user", user: userId }, password, session };
      await makeRequest(auth);
    }
  };
}
