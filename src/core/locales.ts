import { defineLocales } from "./i18n.ts";

const en = {
  console: {
    greeting:
      "Teambot is running on the console. You are {{member}} in room {{room}}. Type help for the commands, :help for console instructions, Ctrl+D to leave.",
  },
  done: "Done.",
  held: "⏳ Not sent yet: {{platform}} cannot be reached right now. It goes out as soon as {{platform}} is reachable; if it cannot be delivered at all, you will be told.",
  usage: "Usage:",
  internalError:
    "Sorry, something went wrong on my side. The team's admin can look it up under error id {{id}}.",
  category: {
    general: "General",
    polls: "Polls",
    meetings: "Meetings",
    tasks: "Tasks",
    reminders: "Reminders",
    rapid: "Rapid response",
  },
  errors: {
    tooLong: "That message is too long for a command (at most {{max}} characters).",
    unclosedQuote: "A quote {{quote}} is opened at character {{position}} but never closed.",
    unknownCommand: "I don't know the command “{{command}}”. Type **help** for the list.",
    unknownSubcommand: "“{{command}} {{typed}}” is not a command. Available: {{known}}.",
    missingSubcommand: "“{{command}}” needs a subcommand: {{known}}.",
    unknownOption: "Unknown option {{option}}. This command knows: {{known}}.",
    noOptions: "Unknown option {{option}}: this command has no options.",
    optionNeedsValue: "The option {{option}} needs a value.",
    optionTwice: "The option {{option}} was given twice.",
    tooManyArguments: "Too many words: “{{extra}}”. Put text with spaces in quotes.",
    missingArgument: "{{name}} is missing",
    invalidArguments: "That did not work: {{problems}}",
    notBoolean: "use yes or no",
    notAChoice: "“{{value}}” is not one of: {{choices}}",
    notAMember: "“{{value}}” is not a member mention",
    unknownZone:
      "“{{value}}” is not a time zone. Use an IANA name such as Europe/Berlin, Europe/Istanbul or UTC",
    unknownZoneSuggest: "“{{value}}” is not a time zone. Did you mean: {{suggestions}}?",
    unknownLanguage: "“{{value}}” is not a language I speak. Choose one of: {{choices}}",
    when: {
      unparseable:
        "I can't read “{{value}}” as a date. Try e.g. “tomorrow 9:00”, “next friday 14:00”, “in 2h”, “05.03. 10:00” or “2026-12-01 18:00”",
      ambiguous:
        "“{{value}}” could mean several dates. Please write one date, e.g. “next friday 14:00” or “2026-12-01 18:00”",
      past: "“{{value}}” is in the past. Please give a time in the future, e.g. “tomorrow 9:00”",
    },
    duration: "“{{value}}” is not a duration (up to {{maxDays}} days). Try e.g. 30m, 1h30, 2h or 1d",
    coordinatorOnly: "Only coordinators may do that.",
    teamRoomOnly: "Please use this command in the team's room, not in a direct conversation.",
  },
  zod: {
    tooShort: "must have at least {{min}} characters",
    tooLong: "may have at most {{max}} characters",
    tooFewItems: "needs at least {{min}} values",
    tooManyItems: "may have at most {{max}} values",
    numberTooSmall: "must be at least {{min}}",
    numberTooBig: "may be at most {{max}}",
    notANumber: "must be a whole number",
    invalid: "is not valid",
  },
};

const de = {
  console: {
    greeting:
      "Teambot läuft in der Konsole. Du bist {{member}} im Raum {{room}}. Tippe help für die Befehle, :help für die Konsolen-Anweisungen, Strg+D zum Beenden.",
  },
  done: "Erledigt.",
  held: "⏳ Noch nicht gesendet: {{platform}} ist gerade nicht erreichbar. Es geht raus, sobald {{platform}} erreichbar ist; kann es gar nicht zugestellt werden, sage ich dir Bescheid.",
  usage: "Aufruf:",
  internalError:
    "Entschuldigung, bei mir ist etwas schiefgegangen. Die Administration des Teams findet es unter der Fehler-ID {{id}}.",
  category: {
    general: "Allgemein",
    polls: "Umfragen",
    meetings: "Treffen",
    tasks: "Aufgaben",
    reminders: "Erinnerungen",
    rapid: "Schnelle Hilfe",
  },
  errors: {
    tooLong: "Diese Nachricht ist für einen Befehl zu lang (höchstens {{max}} Zeichen).",
    unclosedQuote:
      "Ein Anführungszeichen {{quote}} wird bei Zeichen {{position}} geöffnet, aber nicht geschlossen.",
    unknownCommand: "Den Befehl „{{command}}“ kenne ich nicht. Mit **help** siehst du alle Befehle.",
    unknownSubcommand: "„{{command}} {{typed}}“ ist kein Befehl. Möglich sind: {{known}}.",
    missingSubcommand: "„{{command}}“ braucht einen Unterbefehl: {{known}}.",
    unknownOption: "Unbekannte Option {{option}}. Dieser Befehl kennt: {{known}}.",
    noOptions: "Unbekannte Option {{option}}: Dieser Befehl hat keine Optionen.",
    optionNeedsValue: "Die Option {{option}} braucht einen Wert.",
    optionTwice: "Die Option {{option}} wurde zweimal angegeben.",
    tooManyArguments: "Zu viele Wörter: „{{extra}}“. Setze Text mit Leerzeichen in Anführungszeichen.",
    missingArgument: "{{name}} fehlt",
    invalidArguments: "Das hat nicht geklappt: {{problems}}",
    notBoolean: "bitte ja oder nein angeben",
    notAChoice: "„{{value}}“ ist keine der Möglichkeiten: {{choices}}",
    notAMember: "„{{value}}“ ist keine Erwähnung eines Mitglieds",
    unknownZone:
      "„{{value}}“ ist keine Zeitzone. Verwende einen IANA-Namen wie Europe/Berlin, Europe/Istanbul oder UTC",
    unknownZoneSuggest: "„{{value}}“ ist keine Zeitzone. Meintest du: {{suggestions}}?",
    unknownLanguage: "„{{value}}“ ist keine Sprache, die ich spreche. Wähle eine von: {{choices}}",
    when: {
      unparseable:
        "„{{value}}“ kann ich nicht als Datum lesen. Versuche z. B. „morgen 9 Uhr“, „nächsten Freitag 14:00“, „in 2 Stunden“, „05.03. 10:00“ oder „2026-12-01 18:00“",
      ambiguous:
        "„{{value}}“ kann mehrere Zeitpunkte bedeuten. Bitte gib einen an, z. B. „nächsten Freitag 14:00“ oder „2026-12-01 18:00“",
      past: "„{{value}}“ liegt in der Vergangenheit. Bitte gib einen künftigen Zeitpunkt an, z. B. „morgen 9 Uhr“",
    },
    duration: "„{{value}}“ ist keine Dauer (bis {{maxDays}} Tage). Versuche z. B. 30m, 1h30, 2h oder 1d",
    coordinatorOnly: "Das dürfen nur Koordinator*innen.",
    teamRoomOnly: "Bitte verwende diesen Befehl im Raum des Teams, nicht in einer Direktnachricht.",
  },
  zod: {
    tooShort: "muss mindestens {{min}} Zeichen haben",
    tooLong: "darf höchstens {{max}} Zeichen haben",
    tooFewItems: "braucht mindestens {{min}} Werte",
    tooManyItems: "darf höchstens {{max}} Werte haben",
    numberTooSmall: "muss mindestens {{min}} sein",
    numberTooBig: "darf höchstens {{max}} sein",
    notANumber: "muss eine ganze Zahl sein",
    invalid: "ist ungültig",
  },
};

export const coreLocales = defineLocales("core", en, de);
