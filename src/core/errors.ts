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

/** One meaning of an ambiguous phrase: how it is shown, and the unambiguous words that say it. */
export interface Choice {
  label: string;
  phrase: string;
}

/**
 * A phrase that means more than one thing ("halb 8" at ten: 19:30 or 07:30 tomorrow). The
 * member gets the choices, each a command line that runs the command again with `phrase`
 * in place of the typed words, so nothing is guessed and nothing is changed yet.
 */
export class ChoiceError extends UserError {
  /** The words as typed that the choices replace. */
  readonly typed: string;
  readonly choices: readonly Choice[];
  /** How many of the words a word taker got are the typed phrase (sentence-like arguments). */
  readonly words: number | undefined;
  /**
   * Which of the command's words (after its path) are the typed phrase, set by the argument
   * binder for sentence-like arguments; otherwise the first value equal to `typed` is replaced.
   */
  tokenIndices?: number[];

  constructor(key: string, params: Params, typed: string, choices: readonly Choice[], words?: number) {
    super(key, params);
    this.typed = typed;
    this.choices = choices;
    this.words = words;
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
