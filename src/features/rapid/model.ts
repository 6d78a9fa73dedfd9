import { z } from "zod";
import { UserError } from "../../core/errors.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { asJson } from "../../db/json.ts";
import type { Member, RrClaim, RrEvent, RrRequest, Team } from "../../generated/prisma/client.ts";

/** open: nobody (or not enough people) on it; covered: enough claims; the rest are final. */
export const statuses = ["open", "covered", "resolved", "cancelled", "expired"] as const;
export type Status = (typeof statuses)[number];
export const statusSchema = z.enum(statuses);
export const isActive = (status: string): boolean => status === "open" || status === "covered";

export const eventKinds = [
  "created",
  "alerted",
  "escalated",
  "unanswered",
  "claimed",
  "unclaimed",
  "updated",
  "resolved",
  "cancelled",
  "expired",
] as const;
export type EventKind = (typeof eventKinds)[number];

/** Details stored with a timeline event (JSON column, validated on read). */
export const eventDataSchema = z.object({
  /** Display names of the members alerted. */
  names: z.array(z.string()).optional(),
  round: z.number().int().optional(),
  text: z.string().optional(),
});
export type EventData = z.infer<typeof eventDataSchema>;

export const skillsSchema = z.array(z.string());

export function parseSkills(json: unknown): string[] {
  const parsed = skillsSchema.safeParse(json);
  return parsed.success ? parsed.data : [];
}

export function parseEventData(json: unknown): EventData {
  const parsed = eventDataSchema.safeParse(json);
  return parsed.success ? parsed.data : {};
}

/** A skill as stored: lower case, words joined by "-", letters, digits and "-" only. */
export function normalizeSkill(raw: string): string | undefined {
  const skill = raw
    .trim()
    .toLowerCase()
    .replace(/^#/, "")
    .replace(/[\s_]+/g, "-");
  return /^[\p{L}\p{N}][\p{L}\p{N}-]{0,31}$/u.test(skill) ? skill : undefined;
}

/** Splits "dari,farsi" and repeated values into normalized skills; bad ones are a user error. */
export function normalizeSkills(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const piece of raw.flatMap((r) => r.split(","))) {
    if (piece.trim() === "") continue;
    const skill = normalizeSkill(piece);
    if (!skill) throw new UserError("rr.errors.badSkill", { skill: piece.trim().slice(0, 40) });
    if (!out.includes(skill)) out.push(skill);
  }
  return out;
}

export type RequestWithAll = RrRequest & {
  team: Team;
  requester: Member;
  claims: (RrClaim & { member: Member })[];
};

export type TimelineEvent = RrEvent;

export const requestInclude = {
  team: true,
  requester: true,
  claims: { include: { member: true }, orderBy: { claimedAt: "asc" } },
} as const;

export async function loadRequest(db: DbOrTx, id: number): Promise<RequestWithAll> {
  return db.rrRequest.findUniqueOrThrow({ where: { id }, include: requestInclude });
}

export async function addEvent(
  tx: Tx,
  requestId: number,
  at: Date,
  kind: EventKind,
  actor: Pick<Member, "id" | "displayName" | "ref"> | null,
  data: EventData = {},
): Promise<void> {
  // The name as it was, for the timeline; the member, so an erasure finds their events.
  await tx.rrEvent.create({
    data: { requestId, at, kind, actor: actor ? nameOf(actor) : null, actorId: actor?.id ?? null, data: asJson(data) },
  });
}

/** Scheduler keys: one escalation and one expiry job per request (by its database id). */
export const jobKeys = {
  escalate: (id: number) => `rr:${id}:escalate`,
  expire: (id: number) => `rr:${id}:expire`,
  all: (id: number) => `rr:${id}:*`,
};

/** The key of the request's room post: later posts with it edit the first in place. */
export const postKey = (number: number): string => `rr:${number}`;

/** A member's display name, never empty. */
export const nameOf = (m: Pick<Member, "displayName" | "ref">): string =>
  m.displayName || m.ref.replace(/^[a-z]+:@?/, "");
