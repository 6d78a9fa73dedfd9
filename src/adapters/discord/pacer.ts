/**
 * Spaces the bot's own posts evenly, at most `perSecond`. Discord counts its global limit
 * (50 requests a second) on its clock, after the network has bunched or spread requests
 * out; a burst sent within our limit can still arrive as more than 50 in one of Discord's
 * seconds. Evenly spaced requests cannot, so an alert to a hundred members meets no 429.
 */
export class Pacer {
  private next = 0;

  private readonly perSecond: number;

  constructor(perSecond: number) {
    this.perSecond = perSecond;
  }

  /** Resolves when the next request may go. */
  async wait(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.next);
    this.next = slot + 1000 / this.perSecond;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
