/**
 * Button custom ids carry the command line itself ("tb0:task take 12"), so a button works
 * after a restart without any stored state. The index keeps ids unique within a message.
 */
const maxCustomId = 100;
const pattern = /^tb(\d{1,2}):([\s\S]+)$/;

export function encodeAction(index: number, command: string): string | undefined {
  const id = `tb${index}:${command.trim()}`;
  return id.length <= maxCustomId && command.trim() !== "" ? id : undefined;
}

export function decodeAction(customId: string): string | undefined {
  return pattern.exec(customId)?.[2];
}
