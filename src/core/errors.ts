import type { Params } from "./i18n.ts";

/** A problem the user can fix: shown to them, localized, and nothing was changed. */
export class UserError extends Error {
  readonly key: string;
  readonly params: Params;
  /** Extra lines shown under the message (usage, examples). */
  readonly details: string[];

  constructor(key: string, params: Params = {}, details: string[] = []) {
    super(key);
    this.key = key;
    this.params = params;
    this.details = details;
  }
}

/**
 * A delivery that cannot succeed by trying again (the member does not accept direct
 * messages): it is recorded as failed at once instead of being retried.
 */
export class UndeliverableError extends Error {}

/**
 * A delivery this process cannot make because another process holds the platform's
 * connection (see src/adapters/leader-only.ts): the scheduler hands the job over to it.
 */
export class ConnectedElsewhere extends Error {
  readonly platform: string;

  constructor(platform: string) {
    super(`${platform} is connected in another process`);
    this.platform = platform;
  }
}
