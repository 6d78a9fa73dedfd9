import { defineLocales, I18n } from "../../core/i18n.ts";

/** Texts the Matrix adapter writes itself (greeting, choices, poll fallbacks). */
export const matrixLocales = defineLocales(
  "matrix",
  {
    greeting:
      "Hello, I'm Teambot. Send **!help** for the commands (a command starts with ! or /). Where I offer numbered choices, reply to my message with the number or send the command shown.",
    encrypted:
      "This room is end-to-end encrypted, and encryption is switched off for me here, so I am leaving. Please ask the operator to turn it on, or invite me to a room without encryption.",
    choices: "Reply to this message with the number, or send the command:",
    privateFailed: "I could not send you a direct message. Please invite me to one and try again.",
    poll: {
      fallback: "Poll: {{question}}",
      howToVote: "This is a poll: to vote, open it in a client that shows polls (Element, for example).",
      ended: "The poll has ended: {{question}}",
    },
  },
  {
    greeting:
      "Hallo, ich bin Teambot. Schicke **!help** für die Befehle (ein Befehl beginnt mit ! oder /). Wo ich nummerierte Auswahlen anbiete, antworte auf meine Nachricht mit der Nummer oder schicke den angezeigten Befehl.",
    encrypted:
      "Dieser Raum ist Ende-zu-Ende-verschlüsselt, und Verschlüsselung ist für mich hier ausgeschaltet, darum gehe ich wieder. Bitte die Betreiber, sie einzuschalten, oder lade mich in einen Raum ohne Verschlüsselung ein.",
    choices: "Antworte auf diese Nachricht mit der Nummer oder schicke den Befehl:",
    privateFailed:
      "Ich konnte dir keine Direktnachricht schicken. Bitte lade mich in eine ein und versuche es noch einmal.",
    poll: {
      fallback: "Umfrage: {{question}}",
      howToVote: "Dies ist eine Umfrage: Abstimmen kannst du in einem Programm, das Umfragen zeigt (zum Beispiel Element).",
      ended: "Die Umfrage ist beendet: {{question}}",
    },
  },
);

/** The adapter's own translations, apart from the command families' bundles. */
export const matrixI18n = new I18n([matrixLocales]);
