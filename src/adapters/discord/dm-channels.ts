import { type REST, Routes } from "discord.js";
import { z } from "zod";
import type { Logger } from "../../core/log.ts";
import type { Pacer } from "./pacer.ts";
import type { DiscordStore, DmState } from "./store.ts";

/**
 * DM channels: opened once per member and stored, so an alert to many people costs one
 * request each instead of two, and new channels are opened in the background, one at a
 * time, when a member first uses the bot (Discord frowns on bots that open many DMs at
 * once). A member whose DMs are closed (50007) is not tried again for a day, and told once.
 */
const channelSchema = z.object({ id: z.string() });
const retryClosedAfterMs = 24 * 3_600_000;
const tellAgainAfterMs = 30 * 24 * 3_600_000;

export class DmChannels {
  private readonly known = new Map<string, DmState>();
  private readonly opening = new Map<string, Promise<string>>();
  private preOpens: Promise<void> = Promise.resolve();

  private readonly deps: { rest: () => REST; pacer: Pacer; store: DiscordStore; log: Logger; now: () => Date };

  constructor(deps: DmChannels["deps"]) {
    this.deps = deps;
  }

  async state(userId: string): Promise<DmState | undefined> {
    const known = this.known.get(userId);
    if (known) return known;
    const stored = await this.deps.store.dm(userId);
    if (stored) this.known.set(userId, stored);
    return stored;
  }

  private async save(userId: string, state: DmState): Promise<void> {
    this.known.set(userId, state);
    await this.deps.store.saveDm(userId, state);
  }

  /** A DM channel seen in an interaction (the member wrote to the bot there). */
  async learn(userId: string, channelId: string): Promise<void> {
    const state = await this.state(userId);
    if (state?.channelId === channelId) return;
    await this.save(userId, { channelId, closedAt: null, toldAt: state?.toldAt ?? null });
  }

  /** Whether the member refused DMs lately (then nothing is sent: each refusal is an invalid request). */
  closedLately(state: DmState | undefined): boolean {
    return Boolean(state?.closedAt && this.deps.now().getTime() - state.closedAt.getTime() < retryClosedAfterMs);
  }

  /** The member's DM channel; opened when unknown (concurrent callers share one request). */
  async channelFor(userId: string): Promise<string> {
    const state = await this.state(userId);
    if (state) return state.channelId;
    let opening = this.opening.get(userId);
    if (!opening) {
      opening = this.open(userId).finally(() => this.opening.delete(userId));
      this.opening.set(userId, opening);
    }
    return opening;
  }

  private async open(userId: string): Promise<string> {
    await this.deps.pacer.wait();
    const answer = await this.deps.rest().post(Routes.userChannels(), { body: { recipient_id: userId } });
    const { id } = channelSchema.parse(answer);
    await this.save(userId, { channelId: id, closedAt: null, toldAt: null });
    return id;
  }

  /** Opens the member's DM channel in the background, after the ones already queued. */
  preOpen(userId: string): void {
    this.preOpens = this.preOpens.then(async () => {
      try {
        if (!(await this.state(userId))) await this.channelFor(userId);
      } catch (error) {
        this.deps.log.warn({ err: error }, "discord: could not open a DM channel ahead of time");
      }
    });
  }

  /** Waits for queued background openings (tests, shutdown). */
  settled(): Promise<void> {
    return this.preOpens;
  }

  /** Records a refusal (50007); true when the member should be told about it now. */
  async refused(userId: string): Promise<boolean> {
    const state = await this.state(userId);
    if (!state) return false;
    const now = this.deps.now();
    const tell = !state.toldAt || now.getTime() - state.toldAt.getTime() > tellAgainAfterMs;
    await this.save(userId, { ...state, closedAt: now, toldAt: tell ? now : state.toldAt });
    return tell;
  }
}
