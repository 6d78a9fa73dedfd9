/** What the texts-in-files scan must find (and must not): it reads this file, nothing runs it. */
const text = (value: string): string => value;
const action = (label: string, command: string): { label: string; command: string } => ({ label, command });
const log = { info: (message: string): string => message };

export const found = [
  text("Your vote is counted."),
  { en: "Hello", de: "Hallo" },
  text("Done"),
  { label: "Take it", command: "task take 1" },
];

export const notFound = [
  log.info("adapter started for this team"),
  new Error("this is for developers only"),
  action("✔", "poll vote 1 1"),
  text(" · "),
];
