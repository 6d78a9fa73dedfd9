import type { OutgoingMessage } from "./message.ts";

/**
 * What command handlers may use beyond the database. Features extend this interface by
 * declaration merging (`declare module "../core/services.ts"`), and `createApp` provides them.
 */
export interface Services {
  /** Sends messages outside the current reply (to other rooms or members). */
  deliver(messages: OutgoingMessage[]): Promise<void>;
}
