import { defineLocales } from "../../core/i18n.ts";

export const reminderLocales = defineLocales(
  "remind",
  {
    family: "Reminders",
    set: "Reminder **#{{id}}** for {{target}}: {{when}} ({{relative}}).",
    setRecurring: "Recurring reminder **#{{id}}** ({{rule}}) in this room. First: {{when}}.",
    forYou: "you",
    forTeam: "the team",
    text: "“{{text}}”",
    delivered: "⏰ Reminder **#{{id}}**: {{text}}",
    deliveredFrom: "⏰ Reminder **#{{id}}** from {{creator}}: {{text}}",
    late: "(Late: this was due {{when}}; the bot was not running then.)",
    done: "Done",
    snooze10: "Snooze 10 min",
    snooze1h: "Snooze 1 h",
    markedDone: "Reminder **#{{id}}** is done.",
    markedDoneRecurring: "Reminder **#{{id}}** is done for now; it comes again {{when}}.",
    snoozed: "Reminder **#{{id}}** comes again {{when}} ({{relative}}).",
    cancelled: "Reminder **#{{id}}** is cancelled.",
    listTitle: "Reminders",
    listTeamTitle: "The team's reminders",
    listEmpty: "No reminders planned. Set one with e.g. **remind me tomorrow 9:00 call the office**.",
    listItem: "**#{{id}}** {{when}} → {{target}}: {{text}}",
    listItemRecurring: "**#{{id}}** {{rule}}, next {{when}} → {{target}}: {{text}}",
    listItemDelivered: "**#{{id}}** delivered {{when}} → {{target}}: {{text}}",
    errors: {
      noText:
        "What should I remind of? Add a text after the date, e.g. **remind me tomorrow 9:00 call the office**.",
      when: {
        unparseable:
          "I can't find a date at the start of “{{value}}”. Put the date first, e.g. **remind me tomorrow 9:00 call the office**, **remind team next friday 14:00 report** or **remind @ann in 2h bring keys**.",
        ambiguous:
          "“{{value}}” could mean several dates. Please write one date, e.g. **remind me next friday 14:00 report**.",
        past: "“{{value}}” starts with a time in the past. Please give a time in the future, e.g. **remind me tomorrow 9:00 call the office**.",
      },
      rule: "I can't read a repeating rule at the start of “{{value}}”. Try e.g. **remind every weekday 9:00 standup**, **remind every monday 10:00 team round**, **remind every 2 weeks on friday report** or a cron expression **remind every 0 9 * * 1-5 standup**.",
      notFound: "There is no reminder #{{id}} here.",
      notYours: "Reminder #{{id}} is not yours; only its creator or a coordinator may do that.",
      notDelivered: "Reminder #{{id}} has not been delivered yet; you can cancel it or wait for it.",
      finished: "Reminder #{{id}} is already finished.",
    },
  },
  {
    family: "Erinnerungen",
    set: "Erinnerung **#{{id}}** für {{target}}: {{when}} ({{relative}}).",
    setRecurring: "Wiederkehrende Erinnerung **#{{id}}** ({{rule}}) in diesem Raum. Zuerst: {{when}}.",
    forYou: "dich",
    forTeam: "das Team",
    text: "„{{text}}“",
    delivered: "⏰ Erinnerung **#{{id}}**: {{text}}",
    deliveredFrom: "⏰ Erinnerung **#{{id}}** von {{creator}}: {{text}}",
    late: "(Verspätet: Das war fällig {{when}}; der Bot lief zu dieser Zeit nicht.)",
    done: "Erledigt",
    snooze10: "10 Min. später",
    snooze1h: "1 Std. später",
    markedDone: "Erinnerung **#{{id}}** ist erledigt.",
    markedDoneRecurring: "Erinnerung **#{{id}}** ist für diesmal erledigt; sie kommt wieder {{when}}.",
    snoozed: "Erinnerung **#{{id}}** kommt wieder {{when}} ({{relative}}).",
    cancelled: "Erinnerung **#{{id}}** ist gelöscht.",
    listTitle: "Erinnerungen",
    listTeamTitle: "Erinnerungen des Teams",
    listEmpty: "Keine Erinnerungen geplant. Lege eine an, z. B. mit **remind me morgen 9 Uhr Amt anrufen**.",
    listItem: "**#{{id}}** {{when}} → {{target}}: {{text}}",
    listItemRecurring: "**#{{id}}** {{rule}}, nächste {{when}} → {{target}}: {{text}}",
    listItemDelivered: "**#{{id}}** zugestellt {{when}} → {{target}}: {{text}}",
    errors: {
      noText:
        "Woran soll ich erinnern? Schreib nach dem Datum einen Text, z. B. **remind me morgen 9 Uhr Amt anrufen**.",
      when: {
        unparseable:
          "Am Anfang von „{{value}}“ finde ich kein Datum. Schreib das Datum zuerst, z. B. **remind me morgen 9 Uhr Amt anrufen**, **remind team nächsten Freitag 14:00 Bericht** oder **remind @ann in 2 Stunden Schlüssel mitbringen**.",
        ambiguous:
          "„{{value}}“ kann mehrere Zeitpunkte bedeuten. Bitte gib einen an, z. B. **remind me nächsten Freitag 14:00 Bericht**.",
        past: "„{{value}}“ beginnt mit einer Zeit in der Vergangenheit. Bitte gib einen künftigen Zeitpunkt an, z. B. **remind me morgen 9 Uhr Amt anrufen**.",
      },
      rule: "Am Anfang von „{{value}}“ finde ich keine Regel für die Wiederholung. Versuche z. B. **remind every werktags 9 Uhr Standup**, **remind every jeden Montag 10 Uhr Teamrunde**, **remind every alle 2 Wochen freitags Bericht** oder einen Cron-Ausdruck **remind every 0 9 * * 1-5 Standup**.",
      notFound: "Hier gibt es keine Erinnerung #{{id}}.",
      notYours:
        "Erinnerung #{{id}} gehört dir nicht; das dürfen nur die Person, die sie angelegt hat, und Koordinator*innen.",
      notDelivered:
        "Erinnerung #{{id}} wurde noch nicht zugestellt; du kannst sie löschen oder auf sie warten.",
      finished: "Erinnerung #{{id}} ist schon abgeschlossen.",
    },
  },
);
