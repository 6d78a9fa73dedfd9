import { defineLocales } from "../../core/i18n.ts";

export const meetingLocales = defineLocales(
  "meetings",
  {
    created: "Meeting **#{{id}}** “{{title}}”: {{when}} ({{relative}}), {{duration}} min.",
    createdAt: "Meeting **#{{id}}** “{{title}}”: {{when}} ({{relative}}), {{duration}} min, at {{location}}.",
    allDay: "Meeting **#{{id}}** “{{title}}”: all day on {{when}}.",
    allDayAt: "Meeting **#{{id}}** “{{title}}”: all day on {{when}}, at {{location}}.",
    days: "{{when}} to {{last}} ({{days}} days)",
    series: "Meeting series **#{{id}}** “{{title}}”: {{rule}}, {{duration}} min. First: {{when}} ({{relative}}).",
    seriesAt:
      "Meeting series **#{{id}}** “{{title}}”: {{rule}}, {{duration}} min, at {{location}}. First: {{when}} ({{relative}}).",
    listItemSeries: "**#{{id}}** {{when}}: {{title}} (🔁 {{rule}})",
    infoSeries: "Repeats: {{rule}}",
    infoDays: "When: all day on {{when}}",
    remindersPlanned: "Reminders go out {{offsets}} before.",
    noReminders: "No reminders are planned (the team turned them off, or the times have passed).",
    announce: "📅 New meeting **{{title}}** (#{{id}}): {{when}}.",
    reminder: "📅 Reminder: **{{title}}** starts {{when}} ({{relative}}).",
    reminderAt: "📅 Reminder: **{{title}}** starts {{when}} ({{relative}}) at {{location}}.",
    details: "Details",
    calendar: "Add to calendar (.ics)",
    listTitle: "Upcoming meetings",
    listEmpty:
      "No meetings planned. Plan one with e.g. **meeting create Plenum friday 14:00 1h town hall**.",
    listItem: "**#{{id}}** {{when}}: {{title}}",
    info: "**{{title}}** (#{{id}})",
    infoWhen: "When: {{when}} ({{relative}})",
    infoDuration: "Duration: {{duration}} min",
    infoWhere: "Where: {{location}}",
    infoBy: "Planned by {{creator}}",
    infoCancelled: "This meeting is cancelled.",
    cancelled: "Meeting **#{{id}}** “{{title}}” is cancelled.",
    cancelledTeam: "❌ The meeting **{{title}}** on {{when}} is cancelled.",
    moved:
      "Meeting **#{{id}}** “{{title}}” moved to {{when}} ({{relative}}). Its reminders are planned anew.",
    movedTeam: "🔁 The meeting **{{title}}** moved from {{from}} to {{when}}.",
    icsReady: "Calendar file for **{{title}}** ({{when}}):",
    offsetsSet: "Meeting reminders now go out {{offsets}} before each meeting (new and moved meetings).",
    offsetsOff: "Meeting reminders are turned off for this team (new and moved meetings).",
    offsetsCurrent: "Meeting reminders go out {{offsets}} before each meeting.",
    errors: {
      wholeDays:
        "A whole-day meeting lasts whole days: “{{value}}” is not. Give days, e.g. **meeting create Retreat 4.12. 2d**, or a time for a shorter meeting.",
      seriesTooOften:
        "“{{value}}” is too often for a meeting: a series repeats by the day or longer, e.g. **every monday 10:00**.",
      seriesMove:
        "Meeting #{{id}} is a series and cannot be moved as a whole. Cancel it and plan the series anew with **meeting series**.",
      notFound: "There is no meeting #{{id}} in this team.",
      notYours: "Only the person who planned meeting #{{id}} or a coordinator may do that.",
      alreadyCancelled: "Meeting #{{id}} is already cancelled.",
      location: "The place or link may have at most {{max}} characters.",
      offsets:
        "“{{value}}” is not a list of times before the meeting. Try e.g. **settings team meeting-reminders 1d 15m**, or **off**.",
    },
  },
  {
    created: "Treffen **#{{id}}** „{{title}}“: {{when}} ({{relative}}), {{duration}} Min.",
    createdAt:
      "Treffen **#{{id}}** „{{title}}“: {{when}} ({{relative}}), {{duration}} Min., Ort: {{location}}.",
    allDay: "Treffen **#{{id}}** „{{title}}“: ganztägig am {{when}}.",
    allDayAt: "Treffen **#{{id}}** „{{title}}“: ganztägig am {{when}}, Ort: {{location}}.",
    days: "{{when}} bis {{last}} ({{days}} Tage)",
    series: "Treffen-Serie **#{{id}}** „{{title}}“: {{rule}}, {{duration}} Min. Zuerst: {{when}} ({{relative}}).",
    seriesAt:
      "Treffen-Serie **#{{id}}** „{{title}}“: {{rule}}, {{duration}} Min., Ort: {{location}}. Zuerst: {{when}} ({{relative}}).",
    listItemSeries: "**#{{id}}** {{when}}: {{title}} (🔁 {{rule}})",
    infoSeries: "Wiederholt sich: {{rule}}",
    infoDays: "Wann: ganztägig am {{when}}",
    remindersPlanned: "Erinnerungen kommen {{offsets}} vorher.",
    noReminders:
      "Es sind keine Erinnerungen geplant (das Team hat sie abgeschaltet, oder die Zeitpunkte sind vorbei).",
    announce: "📅 Neues Treffen **{{title}}** (#{{id}}): {{when}}.",
    reminder: "📅 Erinnerung: **{{title}}** beginnt {{when}} ({{relative}}).",
    reminderAt: "📅 Erinnerung: **{{title}}** beginnt {{when}} ({{relative}}), Ort: {{location}}.",
    details: "Details",
    calendar: "In den Kalender (.ics)",
    listTitle: "Kommende Treffen",
    listEmpty:
      "Keine Treffen geplant. Plane eins, z. B. mit **meeting create Plenum Freitag 14:00 1h Rathaus**.",
    listItem: "**#{{id}}** {{when}}: {{title}}",
    info: "**{{title}}** (#{{id}})",
    infoWhen: "Wann: {{when}} ({{relative}})",
    infoDuration: "Dauer: {{duration}} Min.",
    infoWhere: "Wo: {{location}}",
    infoBy: "Geplant von {{creator}}",
    infoCancelled: "Dieses Treffen ist abgesagt.",
    cancelled: "Treffen **#{{id}}** „{{title}}“ ist abgesagt.",
    cancelledTeam: "❌ Das Treffen **{{title}}** am {{when}} ist abgesagt.",
    moved:
      "Treffen **#{{id}}** „{{title}}“ ist verschoben auf {{when}} ({{relative}}). Die Erinnerungen sind neu geplant.",
    movedTeam: "🔁 Das Treffen **{{title}}** ist verschoben von {{from}} auf {{when}}.",
    icsReady: "Kalenderdatei für **{{title}}** ({{when}}):",
    offsetsSet: "Erinnerungen an Treffen kommen jetzt {{offsets}} vorher (für neue und verschobene Treffen).",
    offsetsOff:
      "Erinnerungen an Treffen sind für dieses Team abgeschaltet (für neue und verschobene Treffen).",
    offsetsCurrent: "Erinnerungen an Treffen kommen {{offsets}} vor jedem Treffen.",
    errors: {
      wholeDays:
        "Ein ganztägiges Treffen dauert ganze Tage, „{{value}}“ nicht. Gib Tage an, z. B. **meeting create Klausur 4.12. 2d**, oder eine Uhrzeit für ein kürzeres Treffen.",
      seriesTooOften:
        "„{{value}}“ ist für ein Treffen zu oft: Eine Serie wiederholt sich täglich oder seltener, z. B. **jeden Montag um 10**.",
      seriesMove:
        "Treffen #{{id}} ist eine Serie und lässt sich nicht als Ganzes verschieben. Sag sie ab und plane die Serie neu mit **meeting series**.",
      notFound: "In diesem Team gibt es kein Treffen #{{id}}.",
      notYours: "Das dürfen nur die Person, die Treffen #{{id}} geplant hat, und Koordinator*innen.",
      alreadyCancelled: "Treffen #{{id}} ist schon abgesagt.",
      location: "Ort oder Link dürfen höchstens {{max}} Zeichen haben.",
      offsets:
        "„{{value}}“ ist keine Liste von Zeiten vor dem Treffen. Versuche z. B. **settings team meeting-reminders 1d 15m** oder **aus**.",
    },
  },
);
