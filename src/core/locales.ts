import { defineLocales } from "./i18n.ts";

const en = {
  console: {
    greeting:
      "Teambot is running on the console. You are {{member}} in room {{room}}. Type help for the commands, :help for console instructions, Ctrl+D to leave.",
  },
  done: "Done.",
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
    duration: "“{{value}}” is not a length of time (up to {{maxDays}} days). Try e.g. 30m, 1h30, 2h or 1d",
    durationZero: "“{{value}}” lasts no time at all. Give a length such as 30m, 1h30 or 2h",
    durationNegative: "“{{value}}” is negative. Give a length such as 30m, 1h30 or 2h",
    durationTooLong: "“{{value}}” is too long: at most {{maxDays}} days",
    coordinatorOnly: "Only coordinators may do that.",
    teamRoomOnly: "Please use this command in the team's room, not in a direct conversation.",
  },
  when: {
    question: "“{{value}}” can mean more than one time. Which one do you mean?",
    unparseable:
      "I can't read “{{value}}” as a date or time. Try e.g. **tomorrow 9:00**, **friday 14:00**, **in 2 hours**, **05.12. 10:00** or **2026-12-01**.",
    unparseableSuggest: "I understand “{{value}}”, but not “{{word}}” after it. Did you mean **{{suggestion}}**?",
    past: "“{{value}}” is in the past. Please give a time to come, e.g. **tomorrow 9:00**.",
    pastNear: "“{{value}}” is in the past ({{near}}). Please give a time to come.",
    pastSuggest: "“{{value}}” is in the past ({{near}}). Did you mean **{{suggestion}}**?",
    tooFar: "“{{value}}” is too far ahead: dates up to {{limit}} (ten years) are possible.",
    invalidDate: "“{{word}}” is not a day in the calendar (check day and month: there is no 31 April).",
    invalidTime: "“{{word}}” is not a time of day: hours go from 0 to 23, minutes from 0 to 59.",
    timeWordLeft:
      "After “{{value}}” comes “{{word}}”, which belongs to a time. So that nothing is misread, please write the time with the date.",
    timeWordLeftSuggest:
      "After “{{value}}” comes “{{word}}”, which belongs to a time. So that nothing is misread, please write it like this: **{{suggestion}}**.",
    conflict:
      "“{{value}}” names two different times or days. Please give one, e.g. **tomorrow 9:00** or **friday 14:00**.",
    weekdayMismatch:
      "In “{{value}}” the weekday does not fit the date. Please check both (or leave out the weekday).",
    rule: {
      question: "“{{value}}” can mean more than one rule. Which one do you mean?",
      notARule:
        "I can't read a repeating rule in “{{value}}”. Try e.g. **every weekday 9:00**, **every monday 10:00**, **every 2 weeks on friday**, **first monday of the month**, **every 15 minutes** or a cron expression **0 9 * * 1-5**.",
      invalidTime: "“{{word}}” is not a time of day: hours go from 0 to 23, minutes from 0 to 59.",
      invalidDate: "“{{word}}” is not a day of the month (1 to 31).",
      invalidCron:
        "“{{word}}” is not a cron expression I can use (minute hour day month weekday, e.g. **0 9 * * 1-5**).",
      needsDay: "“{{value}}” needs a day, e.g. **every week on monday 9:00** or **every year on 1.3.**.",
      conflict: "“{{value}}” says two things that do not fit together (at “{{word}}”). Please give one rule.",
      timeWordLeft:
        "After “{{value}}” comes “{{word}}”, which belongs to the rule's time. Please write the rule in one piece, e.g. **every monday at 8**.",
      tooOften:
        "“{{value}}”: that interval is too long for its unit. Use a larger unit, e.g. **every 2 days** instead of every 2880 minutes.",
    },
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
    duration: "„{{value}}“ ist keine Dauer (bis {{maxDays}} Tage). Versuche z. B. 30m, 1h30, 2h oder 1d",
    durationZero: "„{{value}}“ dauert gar nicht. Gib eine Dauer an, z. B. 30m, 1h30 oder 2h",
    durationNegative: "„{{value}}“ ist negativ. Gib eine Dauer an, z. B. 30m, 1h30 oder 2h",
    durationTooLong: "„{{value}}“ ist zu lang: höchstens {{maxDays}} Tage",
    coordinatorOnly: "Das dürfen nur Koordinator*innen.",
    teamRoomOnly: "Bitte verwende diesen Befehl im Raum des Teams, nicht in einer Direktnachricht.",
  },
  when: {
    question: "„{{value}}“ kann mehr als eine Zeit bedeuten. Welche meinst du?",
    unparseable:
      "„{{value}}“ kann ich nicht als Datum oder Uhrzeit lesen. Versuche z. B. **morgen 9 Uhr**, **Freitag 14:00**, **in 2 Stunden**, **05.12. 10:00** oder **2026-12-01**.",
    unparseableSuggest: "„{{value}}“ verstehe ich, „{{word}}“ danach aber nicht. Meintest du **{{suggestion}}**?",
    past: "„{{value}}“ liegt in der Vergangenheit. Bitte gib eine künftige Zeit an, z. B. **morgen 9 Uhr**.",
    pastNear: "„{{value}}“ liegt in der Vergangenheit ({{near}}). Bitte gib eine künftige Zeit an.",
    pastSuggest: "„{{value}}“ liegt in der Vergangenheit ({{near}}). Meintest du **{{suggestion}}**?",
    tooFar: "„{{value}}“ liegt zu weit in der Zukunft: möglich sind Daten bis {{limit}} (zehn Jahre).",
    invalidDate: "„{{word}}“ gibt es im Kalender nicht (prüfe Tag und Monat: einen 31. April gibt es nicht).",
    invalidTime: "„{{word}}“ ist keine Uhrzeit: Stunden gehen von 0 bis 23, Minuten von 0 bis 59.",
    timeWordLeft:
      "Nach „{{value}}“ steht „{{word}}“, das zu einer Zeitangabe gehört. Damit nichts falsch verstanden wird, schreib die Uhrzeit bitte direkt zum Datum.",
    timeWordLeftSuggest:
      "Nach „{{value}}“ steht „{{word}}“, das zu einer Zeitangabe gehört. Damit nichts falsch verstanden wird, schreib es bitte so: **{{suggestion}}**.",
    conflict:
      "„{{value}}“ nennt zwei verschiedene Zeiten oder Tage. Bitte gib eine an, z. B. **morgen 9 Uhr** oder **Freitag 14:00**.",
    weekdayMismatch:
      "In „{{value}}“ passt der Wochentag nicht zum Datum. Bitte prüfe beides (oder lass den Wochentag weg).",
    rule: {
      question: "„{{value}}“ kann mehr als eine Regel bedeuten. Welche meinst du?",
      notARule:
        "In „{{value}}“ finde ich keine Regel für die Wiederholung. Versuche z. B. **werktags 9 Uhr**, **jeden Montag 10 Uhr**, **alle 2 Wochen freitags**, **jeden ersten Montag im Monat**, **alle 15 Minuten** oder einen Cron-Ausdruck **0 9 * * 1-5**.",
      invalidTime: "„{{word}}“ ist keine Uhrzeit: Stunden gehen von 0 bis 23, Minuten von 0 bis 59.",
      invalidDate: "„{{word}}“ ist kein Tag im Monat (1 bis 31).",
      invalidCron:
        "„{{word}}“ ist kein Cron-Ausdruck, den ich verwenden kann (Minute Stunde Tag Monat Wochentag, z. B. **0 9 * * 1-5**).",
      needsDay: "„{{value}}“ braucht einen Tag, z. B. **jede Woche am Montag 9 Uhr** oder **jedes Jahr am 1.3.**.",
      conflict: "„{{value}}“ sagt zwei Dinge, die nicht zusammenpassen (bei „{{word}}“). Bitte gib eine Regel an.",
      timeWordLeft:
        "Nach „{{value}}“ steht „{{word}}“, das zur Uhrzeit der Regel gehört. Bitte schreib die Regel in einem Stück, z. B. **jeden Montag um 8**.",
      tooOften:
        "„{{value}}“: Dieser Abstand ist für seine Einheit zu groß. Nimm eine größere Einheit, z. B. **alle 2 Tage** statt alle 2880 Minuten.",
    },
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
