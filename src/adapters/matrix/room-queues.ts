import type { Logger } from "../../core/log.ts";

/** Work per room runs in order (commands, then the votes after them); rooms run side by side. */
export class RoomQueues {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  enqueue(roomId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(roomId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      this.log.error({ err: error, roomId }, "matrix: event handling failed");
    });
    this.queues.set(roomId, next);
    void next.finally(() => {
      if (this.queues.get(roomId) === next) this.queues.delete(roomId);
    });
    return next;
  }

  /** Resolves when the work queued so far is done (work queued later not waited for). */
  settled(): Promise<void> {
    return Promise.allSettled([...this.queues.values()]).then(() => undefined);
  }

  /** Resolves when every queue is empty (work queued meanwhile included). */
  async drain(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
  }
}
