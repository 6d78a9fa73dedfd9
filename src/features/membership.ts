import DataLoader from "dataloader";
import type { MemberStatus, MembershipEnd } from "../core/adapter.ts";
import type { OutgoingMessage } from "../core/message.ts";
import type { DbOrTx } from "../db/client.ts";

/**
 * How long a coordinator status read from the platform counts when the platform cannot be
 * asked again (a direct conversation on a platform that does not answer, an outage): a
 * demoted coordinator loses the right within this time at the latest.
 */
export const coordinatorTrustMs = 10 * 60_000;

/**
 * A membership the platform (or the member's own command in the room) confirmed this
 * recently is not asked about again before a private message: an alert to a hundred
 * responders must not cost a hundred more platform calls. A removal reported by the
 * platform itself (Matrix leave, kick, ban) ends it at once regardless.
 */
export const confirmedForMs = 10 * 60_000;

/** Asks the platform of a room about one member now (the bot routes it to the room's adapter). */
export type AskPlatform = (room: string, member: string) => Promise<MemberStatus | undefined>;

/**
 * Who belongs to a team is the platform's fact. The database keeps what the platform said
 * (memberships that ended stay as dated facts, never as access); before anything private is
 * sent and before rights are used outside the team's room, the platform is asked again
 * where it can answer.
 */
export interface Membership {
  /** The member belongs to the team now. A platform that says otherwise ends the membership. */
  isMember(teamRef: string, memberRef: string): Promise<boolean>;
  /** The member may coordinate the team now: the platform's word, else a recent one (coordinatorTrustMs). */
  coordinates(teamRef: string, memberRef: string): Promise<boolean>;
  /** Records that a membership ended; the first date stays, a later command in the room starts it again. */
  ended(teamRef: string, memberRef: string, how: MembershipEnd): Promise<void>;
  /** May this message be sent? A private message about a team goes only to its members. */
  mayReceive(message: OutgoingMessage): Promise<boolean>;
}

type Link = { teamId: number; memberId: number; leftAt: Date | null; coordinator: boolean; lastSeen: Date };

export function createMembership(db: DbOrTx, ask: AskPlatform, now: () => Date): Membership {
  // Memberships asked for at the same moment (an alert going out to many members, each
  // checked right before its message) are read in one query; nothing is cached.
  const links = new DataLoader<readonly [team: string, member: string], Link | undefined, string>(
    async (keys) => {
      const rows = await db.teamMember.findMany({
        where: { team: { ref: { in: [...new Set(keys.map(([t]) => t))] } }, member: { ref: { in: [...new Set(keys.map(([, m]) => m))] } } },
        select: {
          teamId: true,
          memberId: true,
          leftAt: true,
          coordinator: true,
          lastSeen: true,
          team: { select: { ref: true } },
          member: { select: { ref: true } },
        },
      });
      const found = new Map(rows.map(({ team, member, ...link }) => [`${team.ref}\n${member.ref}`, link]));
      return keys.map(([team, member]) => found.get(`${team}\n${member}`));
    },
    { cache: false, cacheKeyFn: ([team, member]) => `${team}\n${member}` },
  );

  function link(teamRef: string, memberRef: string): Promise<Link | undefined> {
    return links.load([teamRef, memberRef]);
  }

  async function platformSays(teamRef: string, memberRef: string): Promise<MemberStatus | undefined> {
    try {
      return await ask(teamRef, memberRef);
    } catch {
      return undefined;
    }
  }

  async function ended(teamRef: string, memberRef: string, how: MembershipEnd): Promise<void> {
    await db.teamMember.updateMany({
      where: { team: { ref: teamRef }, member: { ref: memberRef }, leftAt: null },
      data: { leftAt: now(), leftHow: how, coordinator: false },
    });
  }

  /**
   * The stored membership, checked with the platform (unless `recentEnough` and it was
   * confirmed within confirmedForMs); undefined when there is none (any more).
   */
  async function current(teamRef: string, memberRef: string, recentEnough = false) {
    const row = await link(teamRef, memberRef);
    if (!row || row.leftAt) return undefined;
    if (recentEnough && now().getTime() - row.lastSeen.getTime() <= confirmedForMs) return row;
    const said = await platformSays(teamRef, memberRef);
    if (said && !said.present) {
      await ended(teamRef, memberRef, said.how);
      return undefined;
    }
    const at = now();
    // The platform's word refreshes the stored one (written only when it changed or aged a minute).
    if (
      said?.coordinator !== undefined &&
      (said.coordinator !== row.coordinator || at.getTime() - row.lastSeen.getTime() > 60_000)
    ) {
      await db.teamMember.update({
        where: { teamId_memberId: { teamId: row.teamId, memberId: row.memberId } },
        data: { coordinator: said.coordinator, lastSeen: at },
      });
      return { ...row, coordinator: said.coordinator, lastSeen: at };
    }
    if (said !== undefined && at.getTime() - row.lastSeen.getTime() > 60_000) {
      // Confirmed present: remembered, so the next private message need not ask again.
      await db.teamMember.update({
        where: { teamId_memberId: { teamId: row.teamId, memberId: row.memberId } },
        data: { lastSeen: at },
      });
    }
    return said?.coordinator !== undefined ? { ...row, lastSeen: at } : row;
  }

  const membership: Membership = {
    async isMember(teamRef, memberRef) {
      return (await current(teamRef, memberRef)) !== undefined;
    },
    async coordinates(teamRef, memberRef) {
      const row = await current(teamRef, memberRef);
      return row !== undefined && row.coordinator && now().getTime() - row.lastSeen.getTime() <= coordinatorTrustMs;
    },
    ended,
    async mayReceive(message) {
      const audience = message.audience;
      if (audience.kind !== "member" || audience.team === undefined) return true;
      // Meant for a coordinator: the platform is asked, so a demoted one gets nothing more.
      const row = await current(audience.team, audience.member, audience.coordinator !== true);
      return row !== undefined && (audience.coordinator !== true || row.coordinator);
    },
  };
  return membership;
}
