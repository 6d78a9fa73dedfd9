import type { MatrixClient } from "matrix-js-sdk";

/**
 * A mention as typed in Matrix ("@ann:example.org", a matrix.to link, "@bob", "Bob") as a
 * member reference; a short name counts only when exactly one member of the bot's rooms
 * has it as user name or display name.
 */
export function parseMatrixMention(client: MatrixClient | undefined, me: string, token: string): string | undefined {
  let id = token.trim().replace(/^matrix:/, "");
  const link = /^https:\/\/matrix\.to\/#\/(@[^/?#]+)/.exec(id);
  if (link?.[1]) id = decodeURIComponent(link[1]);
  if (/^@[^:\s]+:[^\s:]+(:\d+)?$/.test(id)) return `matrix:${id}`;
  const name = id.replace(/^@/, "");
  if (!client || !/^[\p{L}\p{N}._=-]{1,64}$/u.test(name)) return undefined;
  const wanted = name.toLowerCase();
  const found = new Set<string>();
  for (const room of client.getRooms()) {
    for (const member of room.getJoinedMembers()) {
      if (member.userId === me) continue;
      const local = member.userId.slice(1, member.userId.indexOf(":")).toLowerCase();
      if (local === wanted || member.rawDisplayName.toLowerCase() === wanted) found.add(member.userId);
    }
  }
  const [only] = found;
  return found.size === 1 && only ? `matrix:${only}` : undefined;
}
