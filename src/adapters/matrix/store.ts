import type { Db, DbOrTx } from "../../db/client.ts";

/** What the Matrix adapter keeps in the database, per bot account. */
export class MatrixStore {
  private readonly db: Db;
  private readonly account: string;

  constructor(db: Db, account: string) {
    this.db = db;
    this.account = account;
  }

  async syncToken(): Promise<string | undefined> {
    const row = await this.db.matrixSyncState.findUnique({ where: { account: this.account } });
    return row?.syncToken;
  }

  async saveSyncToken(syncToken: string): Promise<void> {
    await this.db.matrixSyncState.upsert({
      where: { account: this.account },
      create: { account: this.account, syncToken },
      update: { syncToken },
    });
  }

  async directRoom(member: string): Promise<string | undefined> {
    const row = await this.db.matrixDirectRoom.findUnique({
      where: { account_member: { account: this.account, member } },
    });
    return row?.roomId;
  }

  async saveDirectRoom(member: string, roomId: string): Promise<void> {
    await this.db.matrixDirectRoom.upsert({
      where: { account_member: { account: this.account, member } },
      create: { account: this.account, member, roomId },
      update: { roomId },
    });
  }

  async isDirectRoom(roomId: string): Promise<boolean> {
    const row = await this.db.matrixDirectRoom.findFirst({ where: { account: this.account, roomId } });
    return row !== null;
  }

  /** The language of the team the member was last seen in (direct rooms are no teams). */
  async teamLanguageOf(member: string): Promise<string | undefined> {
    const links = await this.db.teamMember.findMany({
      where: { member: { ref: member }, leftAt: null },
      orderBy: { lastSeen: "desc" },
      take: 20,
      include: { team: true },
    });
    for (const link of links) {
      const ref = link.team.ref;
      if (!ref.startsWith("matrix:!") || !(await this.isDirectRoom(ref.slice("matrix:".length)))) {
        return link.team.language;
      }
    }
    return undefined;
  }

  /**
   * Claims an event: true once per event id, ever (a database constraint, so two processes
   * or an event seen again after a restart cannot run a command twice). Given the command's
   * transaction, the claim commits with what the command changed: a command that did not
   * finish is not claimed, and runs when the event comes again.
   */
  async claim(eventId: string, handle: DbOrTx = this.db): Promise<boolean> {
    // Looked up first: a failed insert would end a PostgreSQL transaction.
    if (await handle.matrixHandledEvent.findUnique({ where: { eventId } })) return false;
    try {
      await handle.matrixHandledEvent.create({ data: { eventId } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error) && handle === this.db) return false;
      throw error;
    }
  }

  /** Forgets claims older than the catch-up window (they can no longer come back). */
  async pruneClaims(olderThan: Date): Promise<void> {
    await this.db.matrixHandledEvent.deleteMany({ where: { createdAt: { lt: olderThan } } });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    error.code === "P2002"
  );
}
