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
