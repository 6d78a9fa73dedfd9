import { defineLocales } from "../../core/i18n.ts";

/** Every text of rapid response; German must have every key (type-checked). */
export const rapidLocales = defineLocales(
  "rr",
  {
    claimButton: "I'm on it",
    post: {
      title: "**Request #{{id}}**",
      titleUrgent: "🚨 **URGENT request #{{id}}**",
      askedBy: "Asked by {{name}}, {{at}}",
      need: "People needed: {{need}}",
      skills: "Skills: {{skills}}",
      by: "Needed by {{by}}",
      lastUpdate: "Latest update: {{text}}",
      note: "Note: {{note}}",
    },
    status: {
      open: "Status: **open**, nobody on it yet.",
      partly: "Status: **open**, {{have}} of {{need}} on it: {{names}}.",
      escalated_one: "The team was alerted once.",
      escalated_other: "The team was alerted {{count}} times.",
      unanswered_one: "Status: **unanswered**: nobody took it after {{count}} alert to the team.",
      unanswered_other: "Status: **unanswered**: nobody took it after {{count}} alerts to the team.",
      covered: "Status: **covered**: {{names}} on it.",
      resolved: "Status: **resolved** ({{at}}).",
      cancelled: "Status: **cancelled** ({{at}}).",
      expired: "Status: **expired** ({{at}}): nobody took it in time.",
    },
    alert: {
      title: "**Help needed** in {{team}} (request #{{id}})",
      titleUrgent: "🚨 **URGENT: help needed** in {{team}} (request #{{id}})",
      why: "You get this because you are available for rapid-response requests (rr available off to stop).",
    },
    created: "Request **#{{id}}** is posted.",
    alertedNobody: "Nobody is available for it right now, so nobody was alerted personally.",
    alerted_one: "Alerted {{count}} person:",
    alerted_other: "Alerted {{count}} people:",
    escalatesAt: "If nobody takes it by {{at}}, I alert the whole team.",
    expiresAt: "If nobody is on it by {{at}}, it expires.",
    escalation: {
      room: "**Still nobody on request #{{id}}.** Can anyone help? (alert {{round}} of {{total}})",
      coordinator:
        "Request **#{{id}}** in {{team}} is not covered after {{open}}. I alerted the whole team (alert {{round}} of {{total}}).",
    },
    unanswered: {
      room: "Request **#{{id}}** is now marked **unanswered**: nobody took it. It can still be taken.",
      requester_one:
        "Sorry: nobody took your request **#{{id}}** in {{team}}, even after {{count}} alert to the whole team. It is marked unanswered; the coordinators know.",
      requester_other:
        "Sorry: nobody took your request **#{{id}}** in {{team}}, even after {{count}} alerts to the whole team. It is marked unanswered; the coordinators know.",
      coordinator_one:
        "Request **#{{id}}** in {{team}} is **unanswered** after {{count}} alert to the whole team.",
      coordinator_other:
        "Request **#{{id}}** in {{team}} is **unanswered** after {{count}} alerts to the whole team.",
    },
    expired: {
      requester: "Your request **#{{id}}** expired at {{at}}: nobody was on it.",
    },
    claimed: {
      you: "You're on request **#{{id}}**. Thank you! It is covered now.",
      youPartly: "You're on request **#{{id}}**. Thank you! {{have}} of {{need}} people are on it.",
      requester: "**{{name}}** is on your request **#{{id}}**.",
    },
    unclaimed: {
      you: "You're no longer on request **#{{id}}**.",
      youExpired: "You're no longer on request **#{{id}}**. Its time has passed, so it expired.",
      requester: "**{{name}}** stepped back from your request **#{{id}}**; it is open again.",
    },
    updated: {
      you: "Update added to request **#{{id}}**.",
    },
    resolved: {
      you: "Request **#{{id}}** is resolved. Thank you!",
      requester: "**{{name}}** marked your request **#{{id}}** as resolved.",
    },
    cancelled: {
      you: "Request **#{{id}}** is cancelled.",
      claimer: "Request **#{{id}}** was cancelled by {{name}}; you're free again. Thank you!",
    },
    list: {
      title: "Open requests",
      empty: "No open requests. Ask for help with rr <what you need>.",
      item: "**#{{id}}** {{text}}",
      itemUrgent: "🚨 **#{{id}}** {{text}}",
    },
    timeline: {
      title: "Timeline",
      created: "created by {{name}}",
      alerted: "alerted: {{names}}",
      alertedNobody: "nobody available to alert",
      escalated: "whole team alerted (alert {{round}})",
      unanswered: "marked unanswered",
      claimed: "{{name}} is on it",
      unclaimed: "{{name}} stepped back",
      updated: "update by {{name}}: {{text}}",
      resolved: "resolved by {{name}}",
      resolvedNote: "resolved by {{name}}: {{text}}",
      cancelled: "cancelled by {{name}}",
      cancelledNote: "cancelled by {{name}}: {{text}}",
      expired: "expired",
    },
    available: {
      on: "You're **available** for rapid-response requests until you switch it off (rr available off).",
      until: "You're **available** for rapid-response requests until {{at}}.",
      untilDay: "You're **available** for rapid-response requests until the end of {{day}}.",
      off: "You're **not available** for rapid-response requests now.",
      statusOn: "You're **available** for rapid-response requests.",
      statusUntil: "You're **available** for rapid-response requests until {{at}}.",
      statusOff: "You're **not available** for rapid-response requests. Switch on with rr available on.",
    },
    skills: {
      yours: "Your skills: {{skills}}",
      none: "You have listed no skills yet. Add some with rr skills add <skill> …",
    },
    roster: {
      title: "Responders",
      until: "(until {{at}})",
      available_one: "**{{count}}** member available:",
      available_other: "**{{count}}** members available:",
      notAvailable_one: "{{count}} member not available:",
      notAvailable_other: "{{count}} members not available:",
      skills: "Known skills: {{skills}}",
    },
    settings: {
      title: "Rapid-response settings",
      urgent: "Urgent requests: the team is alerted after {{value}} without anyone on it",
      normal: "Other requests: the team is alerted after {{value}}",
      repeats_one:
        "The team alert is repeated {{count}} time at that interval, then the request is marked unanswered",
      repeats_other:
        "The team alert is repeated {{count}} times at that interval, then the request is marked unanswered",
      hint: "Coordinators change them with rr settings --urgent 10m --normal 2h --repeats 2.",
    },
    stats: {
      title: "Rapid response, last {{period}}",
      requests_one:
        "**{{count}}** request ({{open}} open, {{resolved}} resolved, {{cancelled}} cancelled, {{expired}} expired)",
      requests_other:
        "**{{count}}** requests ({{open}} open, {{resolved}} resolved, {{cancelled}} cancelled, {{expired}} expired)",
      covered: "Covered: {{covered}} of {{requests}} ({{share}} %)",
      toClaim: "Time until someone was on it: median {{median}}, 90 % within {{p90}} ({{n}} requests)",
      toResolve: "Time until resolved: median {{median}}, 90 % within {{p90}} ({{n}} requests)",
      unanswered_one: "Unanswered: **{{count}}** request",
      unanswered_other: "Unanswered: **{{count}}** requests",
    },
    errors: {
      badId:
        "“{{value}}” is not a request number; write it as 5 or #5 (a new request that starts with a command word goes in quotes: rr \"Update the flyer …\")",
      unknownId: "There is no request #{{id}} here. rr list shows the open ones.",
      ambiguousId: "Request #{{id}} exists in several of your teams: {{teams}}. Add the team.",
      badSkill:
        "“{{skill}}” is not a skill name: use letters, digits and - (up to 32 characters), e.g. dari or driving-licence.",
      unknownSkill: "Nobody in this team offers {{skills}}. Known skills: {{known}}.",
      noSkillsKnown:
        "Nobody in this team offers {{skills}}: nobody has listed skills yet (rr skills add <skill>).",
      notYourSkill: "You don't have {{skills}} in your list. Your skills: {{own}}.",
      closed: {
        resolved: "Request #{{id}} is already resolved.",
        cancelled: "Request #{{id}} was cancelled.",
        expired: "Request #{{id}} has expired.",
        open: "Request #{{id}} is open.",
        covered: "Request #{{id}} is covered.",
      },
      alreadyYours: "You're already on request #{{id}}.",
      alreadyCovered: "Request #{{id}} is already covered ({{names}}). Thank you anyway!",
      notClaimed: "You're not on request #{{id}}.",
      notAllowed: "Only the person who asked, someone on it or a coordinator may change request #{{id}}.",
      badDelay: "Escalation times must be between 1 minute and 7 days.",
      untilMissing: "Until when? E.g. rr available until 18:00",
      offTakesNoTime: "rr available off takes no time.",
    },
  },
  {
    claimButton: "Ich übernehme",
    post: {
      title: "**Anfrage #{{id}}**",
      titleUrgent: "🚨 **DRINGENDE Anfrage #{{id}}**",
      askedBy: "Angefragt von {{name}}, {{at}}",
      need: "Benötigte Personen: {{need}}",
      skills: "Fähigkeiten: {{skills}}",
      by: "Benötigt bis {{by}}",
      lastUpdate: "Letzter Stand: {{text}}",
      note: "Notiz: {{note}}",
    },
    status: {
      open: "Status: **offen**, noch niemand übernimmt.",
      partly: "Status: **offen**, {{have}} von {{need}} übernehmen: {{names}}.",
      escalated_one: "Das Team wurde einmal alarmiert.",
      escalated_other: "Das Team wurde {{count}}-mal alarmiert.",
      unanswered_one: "Status: **unbeantwortet**: niemand hat übernommen, trotz {{count}} Alarm ans Team.",
      unanswered_other:
        "Status: **unbeantwortet**: niemand hat übernommen, trotz {{count}} Alarmen ans Team.",
      covered: "Status: **übernommen** von {{names}}.",
      resolved: "Status: **erledigt** ({{at}}).",
      cancelled: "Status: **abgebrochen** ({{at}}).",
      expired: "Status: **abgelaufen** ({{at}}): niemand hat rechtzeitig übernommen.",
    },
    alert: {
      title: "**Hilfe gebraucht** in {{team}} (Anfrage #{{id}})",
      titleUrgent: "🚨 **DRINGEND: Hilfe gebraucht** in {{team}} (Anfrage #{{id}})",
      why: "Du bekommst das, weil du für Schnellanfragen verfügbar bist (rr available off schaltet es ab).",
    },
    created: "Anfrage **#{{id}}** ist gepostet.",
    alertedNobody: "Gerade ist niemand verfügbar, darum wurde niemand persönlich alarmiert.",
    alerted_one: "{{count}} Person alarmiert:",
    alerted_other: "{{count}} Personen alarmiert:",
    escalatesAt: "Wenn bis {{at}} niemand übernimmt, alarmiere ich das ganze Team.",
    expiresAt: "Wenn bis {{at}} niemand übernimmt, läuft sie ab.",
    escalation: {
      room: "**Anfrage #{{id}} hat noch niemand übernommen.** Kann jemand helfen? (Alarm {{round}} von {{total}})",
      coordinator:
        "Anfrage **#{{id}}** in {{team}} ist nach {{open}} nicht übernommen. Ich habe das ganze Team alarmiert (Alarm {{round}} von {{total}}).",
    },
    unanswered: {
      room: "Anfrage **#{{id}}** ist jetzt als **unbeantwortet** markiert: niemand hat übernommen. Übernehmen geht weiterhin.",
      requester_one:
        "Leider hat niemand deine Anfrage **#{{id}}** in {{team}} übernommen, trotz {{count}} Alarm ans ganze Team. Sie ist als unbeantwortet markiert; die Koordination weiß Bescheid.",
      requester_other:
        "Leider hat niemand deine Anfrage **#{{id}}** in {{team}} übernommen, trotz {{count}} Alarmen ans ganze Team. Sie ist als unbeantwortet markiert; die Koordination weiß Bescheid.",
      coordinator_one:
        "Anfrage **#{{id}}** in {{team}} ist **unbeantwortet**, trotz {{count}} Alarm ans ganze Team.",
      coordinator_other:
        "Anfrage **#{{id}}** in {{team}} ist **unbeantwortet**, trotz {{count}} Alarmen ans ganze Team.",
    },
    expired: {
      requester: "Deine Anfrage **#{{id}}** ist um {{at}} abgelaufen: niemand hatte übernommen.",
    },
    claimed: {
      you: "Du übernimmst Anfrage **#{{id}}**. Danke! Sie ist jetzt abgedeckt.",
      youPartly: "Du übernimmst Anfrage **#{{id}}**. Danke! {{have}} von {{need}} Personen sind dabei.",
      requester: "**{{name}}** übernimmt deine Anfrage **#{{id}}**.",
    },
    unclaimed: {
      you: "Du übernimmst Anfrage **#{{id}}** nicht mehr.",
      youExpired:
        "Du übernimmst Anfrage **#{{id}}** nicht mehr. Ihre Zeit ist vorbei, darum ist sie abgelaufen.",
      requester: "**{{name}}** ist von deiner Anfrage **#{{id}}** zurückgetreten; sie ist wieder offen.",
    },
    updated: {
      you: "Neuer Stand zu Anfrage **#{{id}}** eingetragen.",
    },
    resolved: {
      you: "Anfrage **#{{id}}** ist erledigt. Danke!",
      requester: "**{{name}}** hat deine Anfrage **#{{id}}** als erledigt markiert.",
    },
    cancelled: {
      you: "Anfrage **#{{id}}** ist abgebrochen.",
      claimer: "Anfrage **#{{id}}** wurde von {{name}} abgebrochen; du bist wieder frei. Danke!",
    },
    list: {
      title: "Offene Anfragen",
      empty: "Keine offenen Anfragen. Um Hilfe bitten: rr <was du brauchst>.",
      item: "**#{{id}}** {{text}}",
      itemUrgent: "🚨 **#{{id}}** {{text}}",
    },
    timeline: {
      title: "Verlauf",
      created: "erstellt von {{name}}",
      alerted: "alarmiert: {{names}}",
      alertedNobody: "niemand verfügbar zum Alarmieren",
      escalated: "ganzes Team alarmiert (Alarm {{round}})",
      unanswered: "als unbeantwortet markiert",
      claimed: "{{name}} übernimmt",
      unclaimed: "{{name}} ist zurückgetreten",
      updated: "neuer Stand von {{name}}: {{text}}",
      resolved: "erledigt von {{name}}",
      resolvedNote: "erledigt von {{name}}: {{text}}",
      cancelled: "abgebrochen von {{name}}",
      cancelledNote: "abgebrochen von {{name}}: {{text}}",
      expired: "abgelaufen",
    },
    available: {
      on: "Du bist jetzt **verfügbar** für Schnellanfragen, bis du es abschaltest (rr available off).",
      until: "Du bist **verfügbar** für Schnellanfragen bis {{at}}.",
      untilDay: "Du bist **verfügbar** für Schnellanfragen bis einschließlich {{day}}.",
      off: "Du bist jetzt **nicht verfügbar** für Schnellanfragen.",
      statusOn: "Du bist **verfügbar** für Schnellanfragen.",
      statusUntil: "Du bist **verfügbar** für Schnellanfragen bis {{at}}.",
      statusOff: "Du bist **nicht verfügbar** für Schnellanfragen. Einschalten mit rr available on.",
    },
    skills: {
      yours: "Deine Fähigkeiten: {{skills}}",
      none: "Du hast noch keine Fähigkeiten eingetragen. Trage welche ein mit rr skills add <fähigkeit> …",
    },
    roster: {
      title: "Helfende",
      until: "(bis {{at}})",
      available_one: "**{{count}}** Mitglied verfügbar:",
      available_other: "**{{count}}** Mitglieder verfügbar:",
      notAvailable_one: "{{count}} Mitglied nicht verfügbar:",
      notAvailable_other: "{{count}} Mitglieder nicht verfügbar:",
      skills: "Bekannte Fähigkeiten: {{skills}}",
    },
    settings: {
      title: "Einstellungen für Schnellanfragen",
      urgent: "Dringende Anfragen: das Team wird nach {{value}} alarmiert, wenn niemand übernimmt",
      normal: "Andere Anfragen: das Team wird nach {{value}} alarmiert",
      repeats_one:
        "Der Alarm ans Team wird {{count}}-mal in diesem Abstand wiederholt, dann gilt die Anfrage als unbeantwortet",
      repeats_other:
        "Der Alarm ans Team wird {{count}}-mal in diesem Abstand wiederholt, dann gilt die Anfrage als unbeantwortet",
      hint: "Die Koordination ändert sie mit rr settings --urgent 10m --normal 2h --repeats 2.",
    },
    stats: {
      title: "Schnellanfragen, Zeitraum {{period}}",
      requests_one:
        "**{{count}}** Anfrage ({{open}} offen, {{resolved}} erledigt, {{cancelled}} abgebrochen, {{expired}} abgelaufen)",
      requests_other:
        "**{{count}}** Anfragen ({{open}} offen, {{resolved}} erledigt, {{cancelled}} abgebrochen, {{expired}} abgelaufen)",
      covered: "Abgedeckt: {{covered}} von {{requests}} ({{share}} %)",
      toClaim: "Zeit bis jemand übernahm: Median {{median}}, 90 % innerhalb {{p90}} ({{n}} Anfragen)",
      toResolve: "Zeit bis erledigt: Median {{median}}, 90 % innerhalb {{p90}} ({{n}} Anfragen)",
      unanswered_one: "Unbeantwortet: **{{count}}** Anfrage",
      unanswered_other: "Unbeantwortet: **{{count}}** Anfragen",
    },
    errors: {
      badId:
        "„{{value}}“ ist keine Anfragenummer; schreib sie als 5 oder #5 (eine neue Anfrage, die mit einem Befehlswort beginnt, in Anführungszeichen: rr \"Update für den Flyer …\")",
      unknownId: "Hier gibt es keine Anfrage #{{id}}. rr list zeigt die offenen.",
      ambiguousId: "Anfrage #{{id}} gibt es in mehreren deiner Teams: {{teams}}. Gib das Team an.",
      badSkill:
        "„{{skill}}“ ist kein Name für eine Fähigkeit: Buchstaben, Ziffern und - (bis 32 Zeichen), z. B. dari oder fuehrerschein.",
      unknownSkill: "Niemand in diesem Team bietet {{skills}} an. Bekannte Fähigkeiten: {{known}}.",
      noSkillsKnown:
        "Niemand in diesem Team bietet {{skills}} an: noch niemand hat Fähigkeiten eingetragen (rr skills add <fähigkeit>).",
      notYourSkill: "{{skills}} steht nicht in deiner Liste. Deine Fähigkeiten: {{own}}.",
      closed: {
        resolved: "Anfrage #{{id}} ist schon erledigt.",
        cancelled: "Anfrage #{{id}} wurde abgebrochen.",
        expired: "Anfrage #{{id}} ist abgelaufen.",
        open: "Anfrage #{{id}} ist offen.",
        covered: "Anfrage #{{id}} ist abgedeckt.",
      },
      alreadyYours: "Du übernimmst Anfrage #{{id}} schon.",
      alreadyCovered: "Anfrage #{{id}} ist schon abgedeckt ({{names}}). Trotzdem danke!",
      notClaimed: "Du übernimmst Anfrage #{{id}} nicht.",
      notAllowed: "Nur wer gefragt hat, wer übernimmt oder die Koordination darf Anfrage #{{id}} ändern.",
      badDelay: "Eskalationszeiten müssen zwischen 1 Minute und 7 Tagen liegen.",
      untilMissing: "Bis wann? Z. B. rr available until 18:00",
      offTakesNoTime: "rr available off braucht keine Zeit.",
    },
  },
);
