import type { Params } from "./i18n.ts";

/** A problem the user can fix: shown to them, localized, and nothing was changed. */
export class UserError extends Error {
  constructor(
    readonly key: string,
    readonly params: Params = {},
    /** Extra lines shown under the message (usage, examples). */
    readonly details: string[] = [],
  ) {
    super(key);
  }
}
