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
      unknownMember:
        "I don't know “{{value}}” as a member of this team. Name a member as a mention (on Discord pick them from the list, on Matrix @name:server, on the console @name); someone becomes known by using a Teambot command in this room once. To remind yourself: **remind me tomorrow 9:00 …**.",
      tooFrequent:
        "“{{value}}” comes too often for a reminder in the room: at most every {{minutes}} minutes (coordinators may set shorter ones).",
      tooManyRecurring:
        "You already have {{max}} recurring reminders, the most one member may hold. Cancel one first (**remind list**, **remind cancel <id>**).",
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
      unknownMember:
        "„{{value}}“ kenne ich nicht als Mitglied dieses Teams. Nenne ein Mitglied als Erwähnung (auf Discord aus der Liste wählen, auf Matrix @name:server, in der Konsole @name); bekannt wird man, indem man in diesem Raum einmal einen Teambot-Befehl verwendet. Dich selbst erinnerst du mit **remind me morgen 9 Uhr …**.",
      tooFrequent:
        "„{{value}}“ kommt für eine Erinnerung im Raum zu oft: höchstens alle {{minutes}} Minuten (Koordinator*innen dürfen kürzere anlegen).",
      tooManyRecurring:
        "Du hast schon {{max}} wiederkehrende Erinnerungen, mehr darf ein Mitglied nicht haben. Lösche erst eine (**remind list**, **remind cancel <id>**).",
      notFound: "Hier gibt es keine Erinnerung #{{id}}.",
      notYours:
        "Erinnerung #{{id}} gehört dir nicht; das dürfen nur die Person, die sie angelegt hat, und Koordinator*innen.",
      notDelivered:
        "Erinnerung #{{id}} wurde noch nicht zugestellt; du kannst sie löschen oder auf sie warten.",
      finished: "Erinnerung #{{id}} ist schon abgeschlossen.",
    },
  },
);
