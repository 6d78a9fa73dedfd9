import { defineLocales } from "../core/i18n.ts";

/** Texts the scheduler and the outbox write themselves (late and delayed notes, failure notices). */
export const schedulerLocales = defineLocales(
  "scheduler",
  {
    jobFailed:
      "A scheduled message (due {{when}}) could not be prepared, even after several tries. It has been recorded for the admin.",
    late: "Late: this was due {{when}}; the bot was not running then.",
    delayed: "Delayed: this was meant for {{when}}; it could not be delivered earlier.",
    undelivered:
      "⚠️ A message to {{target}} (meant for {{when}}) could not be delivered: {{reason}}. A coordinator can send it again with **outbox resend {{id}}**.",
    undeliveredToYou:
      "⚠️ {{member}}: a private message to you (meant for {{when}}) could not be delivered: {{reason}}. A coordinator can send it again with **outbox resend {{id}}**.",
    teamRoom: "the team room {{name}}",
    reason: {
      refused: "the recipient does not accept it (for example, direct messages are closed)",
      gaveUp_one: "{{platform}} could not be reached for {{count}} hour",
      gaveUp_other: "{{platform}} could not be reached for {{count}} hours",
      gaveUpMinutes_one: "{{platform}} could not be reached for {{count}} minute",
      gaveUpMinutes_other: "{{platform}} could not be reached for {{count}} minutes",
      unreadable: "it could not be read any more",
    },
  },
  {
    jobFailed:
      "Eine geplante Nachricht (fällig {{when}}) konnte auch nach mehreren Versuchen nicht vorbereitet werden. Sie ist für die Administration vermerkt.",
    late: "Verspätet: Das war fällig {{when}}; der Bot lief zu dieser Zeit nicht.",
    delayed: "Verspätet: Das war für {{when}} gedacht; es konnte nicht früher zugestellt werden.",
    undelivered:
      "⚠️ Eine Nachricht an {{target}} (gedacht für {{when}}) konnte nicht zugestellt werden: {{reason}}. Koordinator*innen können sie mit **outbox resend {{id}}** erneut senden.",
    undeliveredToYou:
      "⚠️ {{member}}: Eine private Nachricht an dich (gedacht für {{when}}) konnte nicht zugestellt werden: {{reason}}. Koordinator*innen können sie mit **outbox resend {{id}}** erneut senden.",
    teamRoom: "den Team-Raum {{name}}",
    reason: {
      refused: "Die Empfängerin oder der Empfänger nimmt sie nicht an (zum Beispiel sind Direktnachrichten geschlossen)",
      gaveUp_one: "{{platform}} war {{count}} Stunde lang nicht erreichbar",
      gaveUp_other: "{{platform}} war {{count}} Stunden lang nicht erreichbar",
      gaveUpMinutes_one: "{{platform}} war {{count}} Minute lang nicht erreichbar",
      gaveUpMinutes_other: "{{platform}} war {{count}} Minuten lang nicht erreichbar",
      unreadable: "Sie ließ sich nicht mehr lesen",
    },
  },
);
