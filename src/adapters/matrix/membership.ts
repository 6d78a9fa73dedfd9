import { KnownMembership, type MatrixClient, type MatrixEvent, type RoomMember } from "matrix-js-sdk";
import type { MembershipEnd, MemberStatus } from "../../core/adapter.ts";

/** How a membership ended by this member event: left, kicked (someone else made them leave) or banned. */
export function membershipEnd(event: MatrixEvent | undefined, member: RoomMember): MembershipEnd | undefined {
  if (member.membership === KnownMembership.Ban) return "banned";
  if (member.membership !== KnownMembership.Leave) return undefined;
  const sender = event?.getSender();
  return sender && sender !== member.userId ? "kicked" : "left";
}

/**
 * The room's state as synced, on one member now: joined (coordinator from the power level),
 * or gone and how. Undefined before the first sync or for a room the bot is not in.
 */
export function matrixMemberStatus(
  client: MatrixClient | undefined,
  room: string,
  member: string,
  coordinatorPowerLevel: number,
): MemberStatus | undefined {
  const roomId = /^matrix:(!.+)$/.exec(room)?.[1];
  const userId = /^matrix:(@.+)$/.exec(member)?.[1];
  const state = roomId ? client?.getRoom(roomId) : undefined;
  if (!state || !userId || state.getMyMembership() !== (KnownMembership.Join as string)) return undefined;
  const found = state.getMember(userId);
  if (found?.membership === KnownMembership.Join) {
    return { present: true, coordinator: found.powerLevel >= coordinatorPowerLevel };
  }
  if (!found) return { present: false, how: "left" };
  const how = membershipEnd(found.events.member ?? undefined, found) ?? "left";
  return { present: false, how };
}
