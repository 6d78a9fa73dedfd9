import { z } from "zod";
import type { Db } from "../../db/client.ts";

export interface DmState {
  channelId: string;
  closedAt: Date | null;
  toldAt: Date | null;
}

const partsSchema = z.array(z.string().regex(/^\d+$/)).min(1);

/** What the Discord adapter keeps in the database: DM channels and multi-part posts. */
export class DiscordStore {
  private readonly db: Db;
  private readonly applicationId: string;

  constructor(db: Db, applicationId: string) {
    this.db = db;
    this.applicationId = applicationId;
  }

  private async memberId(userId: string): Promise<number | undefined> {
    const member = await this.db.member.findFirst({ where: { ref: `discord:${userId}` }, select: { id: true } });
    return member?.id;
  }

  async dm(userId: string): Promise<DmState | undefined> {
    const row = await this.db.discordDmChannel.findFirst({
      where: { applicationId: this.applicationId, member: { ref: `discord:${userId}` } },
    });
    return row ? { channelId: row.channelId, closedAt: row.closedAt, toldAt: row.toldAt } : undefined;
  }

  /** Saves a DM channel (or its closed state); members the bot never saw are not stored. */
  async saveDm(userId: string, state: DmState): Promise<void> {
    const memberId = await this.memberId(userId);
    if (memberId === undefined) return;
    const key = { memberId_applicationId: { memberId, applicationId: this.applicationId } };
    await this.db.discordDmChannel.upsert({
      where: key,
      create: { memberId, applicationId: this.applicationId, ...state },
      update: state,
    });
  }

  /** The Discord team the member was last seen in, with the language to speak there. */
  async lastRoom(userId: string): Promise<{ room: string; language: string } | undefined> {
    const row = await this.db.teamMember.findFirst({
      where: {
        member: { ref: `discord:${userId}` },
        leftAt: null,
        team: { ref: { startsWith: "discord:" }, NOT: { ref: { startsWith: "discord:@me/" } } },
      },
      orderBy: { lastSeen: "desc" },
      include: { team: true, member: true },
    });
    if (!row) return undefined;
    return { room: row.team.ref, language: row.member.language ?? row.team.language };
  }

  /** The message ids of a post sent in parts, by the id the bot knows it by. */
  async parts(handle: string): Promise<string[] | undefined> {
    const row = await this.db.discordPost.findUnique({ where: { handle } });
    if (!row) return undefined;
    const parsed = partsSchema.safeParse(row.parts);
    return parsed.success ? parsed.data : undefined;
  }

  async saveParts(handle: string, channelId: string, parts: string[]): Promise<void> {
    if (parts.length === 1 && parts[0] === handle) {
      await this.db.discordPost.deleteMany({ where: { handle } });
      return;
    }
    const data = { channelId, parts };
    await this.db.discordPost.upsert({ where: { handle }, create: { handle, ...data }, update: data });
  }
}
