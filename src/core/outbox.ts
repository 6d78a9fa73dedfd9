import type { DbOrTx } from "../db/client.ts";
import type { CommandContext } from "./command.ts";
import { type OutgoingMessage, paragraph } from "./message.ts";

/**
 * The outbox as the core sees it: every message other than the direct answer to a command
 * is written as an outbox entry in the transaction of the change that caused it, and the
 * scheduler delivers it (in order per conversation, retried through outages).
 */
export interface OutboxPort {
  /** Writes the messages as outbox entries in the caller's transaction (or on their own); returns their ids. */
  add(handle: DbOrTx, messages: readonly OutgoingMessage[], origin: OutboxOrigin): Promise<number[]>;
  /**
   * Tries these entries now (after their transaction committed). Resolves when each was sent
   * or is known to be held up, or after `waitMs`, with what it knows by then.
   */
  flush(ids: readonly number[], waitMs: number): Promise<FlushReport>;
}

/** Where outbox entries come from. */
export interface OutboxOrigin {
  /** Member reference told if delivery fails for good (who caused it); none: the team's coordinators. */
  owner?: string;
  /** The team's room reference (messages to a room belong to that room's team when this is not given). */
  team?: string;
  /** When the messages are meant to arrive: a delivery much later says that it is late. */
  dueAt: Date;
  /** The messages say themselves that they are late (a job that ran late). */
  lateNoted?: boolean;
}

/** How a command's own entries fared right after its commit. */
export interface FlushReport {
  /** Adapter names whose platform refused an entry or is known to be unreachable: it waits and is retried. */
  held: string[];
  /** Resolves when every entry was tried or is known to be held up. */
  settled: Promise<void>;
}

/** What a feature records once a message was sent: a registered kind and its data. */
export interface SentHook {
  kind: string;
  data: unknown;
}

/** Splits a handler's reply: answers to the invoker, and messages for the outbox. */
export function splitReply(messages: readonly OutgoingMessage[]): { own: OutgoingMessage[]; others: OutgoingMessage[] } {
  const own: OutgoingMessage[] = [];
  const others: OutgoingMessage[] = [];
  for (const m of messages) (m.audience.kind === "reply" || m.audience.kind === "ephemeral" ? own : others).push(m);
  return { own, others };
}

/** Answers that claimed a post went out say instead that it waits for the platform. */
export function heldAnswers<S>(answers: OutgoingMessage[], ctx: CommandContext<S>, platforms: string[]): OutgoingMessage[] {
  const names = platforms.map((p) => (p === "" ? "?" : p.charAt(0).toUpperCase() + p.slice(1))).join(", ");
  const note = paragraph(ctx.tr.t("core.held", { platform: names }));
  if (answers.length === 0) return [ctx.ephemeral([note], { tone: "warning" })];
  return answers.map((answer, i) => {
    const { whenHeld, ...rest } = answer;
    const blocks = whenHeld ?? answer.blocks;
    return i === 0
      ? { ...rest, blocks: [...blocks, note], tone: answer.tone === "success" ? "warning" : answer.tone }
      : { ...rest, blocks };
  });
}
