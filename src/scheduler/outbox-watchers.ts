import { platformOf } from "../core/adapter.ts";
import type { FlushReport } from "../core/outbox.ts";
import type { Db } from "../db/client.ts";
import type { OutboxEntry } from "../generated/prisma/client.ts";
import { headsOf } from "./outbox-table.ts";

/** How one entry fared: sent, failed for good, or held (its platform refused it or is down). */
export type Outcome = "sent" | "failed" | "held";

/**
 * The entries commands wait for right after their commit (`flush`): whoever finds out how
 * an entry fared settles it, so the command's answer can say whether its posts went out.
 */
export class Watchers {
  private readonly listeners = new Map<number, ((outcome: Outcome) => void)[]>();

  async flush(
    db: Db,
    ids: readonly number[],
    wait: { waitMs: number; settleMs: number },
    kick: () => void,
  ): Promise<FlushReport> {
    const outcomes = new Map<number, Outcome>();
    const all = Promise.all(
      ids.map(
        (id) =>
          new Promise<void>((resolve) => {
            this.watch(id, (outcome) => {
              outcomes.set(id, outcome);
              resolve();
            });
          }),
      ),
    );
    kick();
    await raceTimeout(all, wait.waitMs);
    // Entries that failed for good are told to their owner separately; held ones wait for their platform.
    const heldIds = ids.filter((id) => outcomes.get(id) === "held");
    const held = new Set<string>();
    if (heldIds.length > 0) {
      const rows = await db.outboxEntry.findMany({ where: { id: { in: heldIds } }, select: { conversation: true } });
      for (const row of rows) held.add(platformOf(row.conversation));
    }
    // Another process may send them without telling us: the wait for them is bounded.
    const settled = raceTimeout(all, wait.settleMs).then(() => {
      for (const id of ids) if (!outcomes.has(id)) this.listeners.delete(id);
    });
    return { held: [...held], settled };
  }

  private watch(id: number, listener: (outcome: Outcome) => void): void {
    this.listeners.set(id, [...(this.listeners.get(id) ?? []), listener]);
  }

  settle(id: number, outcome: Outcome): void {
    const listeners = this.listeners.get(id);
    if (!listeners) return;
    this.listeners.delete(id);
    for (const listener of listeners) listener(outcome);
  }

  /**
   * Entries that cannot go now (their platform is down, they wait behind a refused one, or
   * another process sent them) are settled at once; ones this process is sending are left.
   */
  async tellWaiting(
    db: Db,
    now: Date,
    state: { busy: (conversation: string) => boolean; down: (platform: string) => boolean },
  ): Promise<void> {
    const waiting = [...this.listeners.keys()];
    if (waiting.length === 0) return;
    const rows = await db.outboxEntry.findMany({ where: { id: { in: waiting } } });
    const heads = await headsOf(db, [...new Set(rows.map((r) => r.conversation))]);
    const headRows = await db.outboxEntry.findMany({ where: { id: { in: [...heads.values()] } } });
    const byId = new Map(headRows.map((r) => [r.id, r]));
    const waits = (r: OutboxEntry | undefined) => r?.status === "pending" && r.runAt.getTime() > now.getTime();
    for (const row of rows) {
      if (row.status === "sent" || row.status === "failed") {
        this.settle(row.id, row.status);
        continue;
      }
      if (state.busy(row.conversation)) continue;
      const head = byId.get(heads.get(row.conversation) ?? -1);
      if (state.down(platformOf(row.conversation)) || waits(row) || (head && head.id !== row.id && waits(head))) {
        this.settle(row.id, "held");
      }
    }
  }
}

/** Waits for `work`, at most `ms` (a timer that does not keep the process alive). */
async function raceTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([work, timeout]);
  clearTimeout(timer);
}
