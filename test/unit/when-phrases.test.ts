import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { readWhen, type When } from "../../src/core/when/index.ts";

/**
 * The phrase table: what each German or English phrase must mean at a pinned "now" in a
 * pinned zone. A row is `context | phrase => expected`, where expected is a whole day
 * (2026-11-26), an instant as local time with its offset (2026-11-26 09:00+01:00), a
 * question with its choices (? a / b), or an error (! reason); "| text" is what is left
 * for the text after the phrase.
 */
const contexts: Record<string, { now: string; zone: string; about: string }> = {
  wed: { now: "2026-11-25T09:00:00Z", zone: "Europe/Berlin", about: "Wednesday 25 November 2026, 10:00" },
  eve: { now: "2026-11-23T20:30:00Z", zone: "Europe/Berlin", about: "Monday 23 November 2026, 21:30" },
  sat: {
    now: "2027-03-27T09:00:00Z",
    zone: "Europe/Berlin",
    about: "Saturday before clocks spring forward, 10:00 CET",
  },
  fall: {
    now: "2027-10-30T08:00:00Z",
    zone: "Europe/Berlin",
    about: "Saturday before clocks fall back, 10:00 CEST",
  },
  dec: { now: "2026-12-30T09:00:00Z", zone: "Europe/Berlin", about: "Wednesday 30 December 2026, 10:00" },
  jan: { now: "2027-01-31T09:00:00Z", zone: "Europe/Berlin", about: "Sunday 31 January 2027, 10:00" },
  ny: {
    now: "2026-11-25T15:00:00Z",
    zone: "America/New_York",
    about: "Wednesday 25 November 2026, 10:00 in New York",
  },
  nyd: {
    now: "2027-03-13T15:00:00Z",
    zone: "America/New_York",
    about: "Saturday before US clocks spring forward",
  },
  tokyo: {
    now: "2026-12-18T01:00:00Z",
    zone: "Asia/Tokyo",
    about: "Friday 18 December 2026, 10:00 in Tokyo",
  },
};

const table = `

# wed: German
wed | morgen => 2026-11-26
wed | morgen 9 Uhr => 2026-11-26 09:00+01:00
wed | morgen um 9 => 2026-11-26 09:00+01:00
wed | morgen um 9 Uhr => 2026-11-26 09:00+01:00
wed | morgen 9:30 => 2026-11-26 09:30+01:00
wed | morgen 09:30 => 2026-11-26 09:30+01:00
wed | morgen früh => 2026-11-26 08:00+01:00
wed | morgen Morgen => 2026-11-26 09:00+01:00
wed | morgen Vormittag => 2026-11-26 10:00+01:00
wed | morgen vormittags => 2026-11-26 10:00+01:00
wed | morgen Mittag => 2026-11-26 12:00+01:00
wed | morgen mittags => 2026-11-26 12:00+01:00
wed | morgen Nachmittag => 2026-11-26 15:00+01:00
wed | morgen nachmittags => 2026-11-26 15:00+01:00
wed | morgen Abend => 2026-11-26 19:00+01:00
wed | morgen abends => 2026-11-26 19:00+01:00
wed | morgen Nacht => 2026-11-26 22:00+01:00
wed | morgenabend => 2026-11-26 19:00+01:00
wed | heute => 2026-11-25
wed | heute Abend => 2026-11-25 19:00+01:00
wed | heute Nachmittag => 2026-11-25 15:00+01:00
wed | heute Nacht => 2026-11-25 22:00+01:00
wed | heute Mittag => 2026-11-25 12:00+01:00
wed | heute früh => ! past
wed | heute um 8 => 2026-11-25 20:00+01:00
wed | heute 8 Uhr => ! past
wed | heute 8:00 => ! past
wed | heute um 14 Uhr => 2026-11-25 14:00+01:00
wed | heute halb 3 => 2026-11-25 14:30+01:00
wed | heute um halb 8 => 2026-11-25 19:30+01:00
wed | übermorgen => 2026-11-27
wed | übermorgen 10 Uhr => 2026-11-27 10:00+01:00
wed | uebermorgen 10:15 => 2026-11-27 10:15+01:00
wed | gestern => ! past
wed | in einer halben Stunde => 2026-11-25 10:30+01:00
wed | in einer Stunde => 2026-11-25 11:00+01:00
wed | in anderthalb Stunden => 2026-11-25 11:30+01:00
wed | in eineinhalb Stunden => 2026-11-25 11:30+01:00
wed | in 1,5 Stunden => 2026-11-25 11:30+01:00
wed | in 90 Minuten => 2026-11-25 11:30+01:00
wed | in 2 Stunden => 2026-11-25 12:00+01:00
wed | in 2 Std. => 2026-11-25 12:00+01:00
wed | in 2h => 2026-11-25 12:00+01:00
wed | in 1h30 => 2026-11-25 11:30+01:00
wed | in 90 Sekunden => 2026-11-25 10:01+01:00
wed | in 30s => 2026-11-25 10:00+01:00
wed | in 5 min => 2026-11-25 10:05+01:00
wed | in 10 Minuten => 2026-11-25 10:10+01:00
wed | in einer Viertelstunde => 2026-11-25 10:15+01:00
wed | in einer Dreiviertelstunde => 2026-11-25 10:45+01:00
wed | in 2 Stunden und 30 Minuten => 2026-11-25 12:30+01:00
wed | in 3 Tagen => 2026-11-28
wed | in drei Tagen => 2026-11-28
wed | in einer Woche => 2026-12-02
wed | in 2 Wochen => 2026-12-09
wed | in zwei Wochen => 2026-12-09
wed | in 14 Tagen => 2026-12-09
wed | in 8 Tagen => ? 2026-12-02 / 2026-12-03
wed | in einem Monat => 2026-12-25
wed | in 3 Monaten => 2027-02-25
wed | in einem Jahr => 2027-11-25
wed | in 2 Wochen um 10 => 2026-12-09 10:00+01:00
wed | in 3 Tagen 14:00 => 2026-11-28 14:00+01:00
wed | Mittwoch in zwei Wochen => 2026-12-09
wed | Donnerstag in zwei Wochen => 2026-12-10
wed | Montag in zwei Wochen => 2026-12-07
wed | Montag in einer Woche => 2026-11-30
wed | Freitag in 2 Wochen um 10 Uhr => 2026-12-11 10:00+01:00
wed | in zwei Wochen am Mittwoch => 2026-12-09
wed | in 2 Wochen Freitag => 2026-12-11
wed | heute in einer Woche => 2026-12-02
wed | morgen in einer Woche => 2026-12-03
wed | übernächste Woche => 2026-12-07
wed | nächste Woche => 2026-11-30
wed | nächste Woche Dienstag => 2026-12-01
wed | Dienstag nächste Woche => 2026-12-01
wed | nächste Woche Freitag 10 Uhr => 2026-12-04 10:00+01:00
wed | übernächste Woche Montag => 2026-12-07
wed | Montag übernächste Woche => 2026-12-07
wed | diese Woche Freitag => 2026-11-27
wed | Freitag diese Woche => 2026-11-27
wed | diese Woche Montag => ! past
wed | Freitag => 2026-11-27
wed | am Freitag => 2026-11-27
wed | Fr. => 2026-11-27
wed | Freitag 10 Uhr => 2026-11-27 10:00+01:00
wed | Freitag um 10 => 2026-11-27 10:00+01:00
wed | Freitag um 3 => ? 2026-11-27 03:00+01:00 / 2026-11-27 15:00+01:00
wed | Freitag 15 Uhr => 2026-11-27 15:00+01:00
wed | Mittwoch => ? 2026-11-25 / 2026-12-02
wed | Mittwoch 14 Uhr => ? 2026-11-25 14:00+01:00 / 2026-12-02 14:00+01:00
wed | Mittwoch 9 Uhr => 2026-12-02 09:00+01:00
wed | Dienstag => 2026-12-01
wed | kommenden Montag => 2026-11-30
wed | kommenden Montag 9 Uhr => 2026-11-30 09:00+01:00
wed | kommenden Freitag => 2026-11-27
wed | kommenden Mittwoch => 2026-12-02
wed | nächsten Montag => 2026-11-30
wed | nächsten Freitag => ? 2026-11-27 / 2026-12-04
wed | nächsten Mittwoch => 2026-12-02
wed | nächsten Dienstag => 2026-12-01
wed | diesen Freitag => 2026-11-27
wed | diesen Montag => 2026-11-30
wed | übernächsten Freitag => ? 2026-12-04 / 2026-12-11
wed | übernächsten Montag => 2026-12-07
wed | Freitagabend => 2026-11-27 19:00+01:00
wed | Freitag Abend => 2026-11-27 19:00+01:00
wed | Freitagnachmittag => 2026-11-27 15:00+01:00
wed | Montagmorgen => 2026-11-30 09:00+01:00
wed | Montag früh => 2026-11-30 08:00+01:00
wed | Sonntagabend 20 Uhr => 2026-11-29 20:00+01:00
wed | Samstagvormittag => 2026-11-28 10:00+01:00
wed | Freitag, den 27.11. => 2026-11-27
wed | Freitag, 27.11.2026 => 2026-11-27
wed | Freitag 27.11. 10 Uhr => 2026-11-27 10:00+01:00
wed | Freitag 3.12. => ! weekdayMismatch
wed | 1.4. => 2027-04-01
wed | 1.4. ganztägig => 2027-04-01
wed | 01.04.2027 => 2027-04-01
wed | 1.4.27 => 2027-04-01
wed | 1.4.2027 10:00 => 2027-04-01 10:00+02:00
wed | 24.12. => 2026-12-24
wed | 24.12. 18 Uhr => 2026-12-24 18:00+01:00
wed | 25.11. => 2026-11-25
wed | 25.11. 9 Uhr => ! past
wed | 24.11. => 2027-11-24
wed | 24.11.2026 => ! past
wed | 31.2. => ! invalidDate
wed | 32.12. => ! invalidDate
wed | 1.13. => ! invalidDate
wed | 29.2. => 2028-02-29
wed | 1.4.12025 => ! tooFar
wed | 1.4.2037 => ! tooFar
wed | 1.4.2036 => 2036-04-01
wed | 4. Dezember => 2026-12-04
wed | 4. Dez. => 2026-12-04
wed | 4 Dezember 2026 => 2026-12-04
wed | am 4. Dezember um 10 => 2026-12-04 10:00+01:00
wed | 4. Dezember 14:30 => 2026-12-04 14:30+01:00
wed | am 4. => 2026-12-04
wed | am 30. um 10 => 2026-11-30 10:00+01:00
wed | 24. Dezember => 2026-12-24
wed | 1. Januar => 2027-01-01
wed | Anfang Dezember => 2026-12-01
wed | Mitte Dezember => 2026-12-15
wed | Ende Dezember => 2026-12-31
wed | Ende Januar => 2027-01-31
wed | Ende des Monats => 2026-11-30
wed | Ende Monat => 2026-11-30
wed | Monatsende => 2026-11-30
wed | zum Monatsende => 2026-11-30
wed | Ende nächsten Monats => 2026-12-31
wed | Monatsanfang => 2026-12-01
wed | Anfang des Monats => 2026-12-01
wed | Anfang nächsten Monats => 2026-12-01
wed | nächsten Monat => 2026-12-01
wed | Mitte des Monats => 2026-12-15
wed | Monatsmitte => 2026-12-15
wed | Wochenende => 2026-11-28
wed | am Wochenende => 2026-11-28
wed | nächstes Wochenende => ? 2026-11-28 / 2026-12-05
wed | kommendes Wochenende => 2026-11-28
wed | Ende der Woche => 2026-11-27
wed | Ende nächster Woche => 2026-12-04
wed | Anfang nächster Woche => 2026-11-30
wed | Mitte nächster Woche => 2026-12-02
wed | Mitte der Woche => 2026-11-25
wed | Jahresende => 2026-12-31
wed | Heiligabend => 2026-12-24
wed | Weihnachten => 2026-12-25
wed | Silvester => 2026-12-31
wed | Neujahr => 2027-01-01
wed | halb 8 => ? 2026-11-25 19:30+01:00 / 2026-11-26 07:30+01:00
wed | um halb 8 => ? 2026-11-25 19:30+01:00 / 2026-11-26 07:30+01:00
wed | halb acht => ? 2026-11-25 19:30+01:00 / 2026-11-26 07:30+01:00
wed | viertel nach 8 => ? 2026-11-25 20:15+01:00 / 2026-11-26 08:15+01:00
wed | viertel vor 8 => ? 2026-11-25 19:45+01:00 / 2026-11-26 07:45+01:00
wed | viertel 8 => ? 2026-11-25 19:15+01:00 / 2026-11-26 07:15+01:00
wed | dreiviertel 8 => ? 2026-11-25 19:45+01:00 / 2026-11-26 07:45+01:00
wed | fünf nach 8 => ? 2026-11-25 20:05+01:00 / 2026-11-26 08:05+01:00
wed | zehn vor 8 => ? 2026-11-25 19:50+01:00 / 2026-11-26 07:50+01:00
wed | fünf nach halb 8 => ? 2026-11-25 19:35+01:00 / 2026-11-26 07:35+01:00
wed | fünf vor halb 8 => ? 2026-11-25 19:25+01:00 / 2026-11-26 07:25+01:00
wed | 20 nach 10 => 2026-11-25 10:20+01:00
wed | morgen halb 8 => 2026-11-26 07:30+01:00
wed | morgen um viertel nach 9 => 2026-11-26 09:15+01:00
wed | morgen viertel vor 12 => 2026-11-26 11:45+01:00
wed | morgen halb 3 => ? 2026-11-26 02:30+01:00 / 2026-11-26 14:30+01:00
wed | morgen halb 3 nachmittags => 2026-11-26 14:30+01:00
wed | um 8 => ? 2026-11-25 20:00+01:00 / 2026-11-26 08:00+01:00
wed | um 3 => 2026-11-25 15:00+01:00
wed | um 11 => 2026-11-25 11:00+01:00
wed | um 12 => 2026-11-25 12:00+01:00
wed | um 0 Uhr => 2026-11-26 00:00+01:00
wed | 8 Uhr => 2026-11-26 08:00+01:00
wed | 3 Uhr => 2026-11-25 15:00+01:00
wed | 14 Uhr => 2026-11-25 14:00+01:00
wed | 14:30 => 2026-11-25 14:30+01:00
wed | 14.30 => 2026-11-25 14:30+01:00
wed | 14.30 Uhr => 2026-11-25 14:30+01:00
wed | 9.30 => 2026-11-26 09:30+01:00
wed | 12.12 => ? 2026-12-12 / 2026-11-25 12:12+01:00
wed | um 12.12 => 2026-11-25 12:12+01:00
wed | 1.04 => ? 2027-04-01 / 2026-11-25 13:04+01:00
wed | 8 Uhr abends => 2026-11-25 20:00+01:00
wed | 8 abends => 2026-11-25 20:00+01:00
wed | um 8 abends => 2026-11-25 20:00+01:00
wed | abends um 8 => 2026-11-25 20:00+01:00
wed | morgen abends um 8 => 2026-11-26 20:00+01:00
wed | morgen um 8 am Abend => 2026-11-26 20:00+01:00
wed | morgen um 11 nachts => 2026-11-26 23:00+01:00
wed | morgen nachts um 2 => 2026-11-27 02:00+01:00
wed | heute Nacht um 2 => 2026-11-26 02:00+01:00
wed | 15 Uhr morgens => ! conflict
wed | Mittag => ! unparseable
wed | mittags => 2026-11-25 12:00+01:00
wed | abends => 2026-11-25 19:00+01:00
wed | morgens => 2026-11-26 09:00+01:00
wed | früh => 2026-11-26 08:00+01:00
wed | nachts => 2026-11-25 22:00+01:00
wed | Mitternacht => 2026-11-26 00:00+01:00
wed | um Mitternacht => 2026-11-26 00:00+01:00
wed | morgen Mitternacht => 2026-11-27 00:00+01:00
wed | 24 Uhr => 2026-11-26 00:00+01:00
wed | 24:00 => 2026-11-26 00:00+01:00
wed | 24:30 => ! invalidTime
wed | 25:00 => ! invalidTime
wed | 9:60 => ! invalidTime
wed | um 25 => ! invalidTime
wed | 99:99 => ! invalidTime
wed | 2026-12-01 => 2026-12-01
wed | 2026-12-01 18:00 => 2026-12-01 18:00+01:00
wed | 2026-12-01T18:00 => 2026-12-01 18:00+01:00
wed | 2026-12-01T18:00:00Z => 2026-12-01 19:00+01:00
wed | 2026-11-25T08:00:00Z => ! past
wed | 2026-02-30 => ! invalidDate
wed | 12025-01-01 => ! tooFar

# wed: English
wed | tomorrow => 2026-11-26
wed | tomorrow 9am => 2026-11-26 09:00+01:00
wed | tomorrow at 9 => 2026-11-26 09:00+01:00
wed | tomorrow at 9:30 am => 2026-11-26 09:30+01:00
wed | tomorrow 2pm => 2026-11-26 14:00+01:00
wed | tomorrow at 2 p.m. => 2026-11-26 14:00+01:00
wed | tomorrow morning => 2026-11-26 09:00+01:00
wed | tomorrow afternoon => 2026-11-26 15:00+01:00
wed | tomorrow evening => 2026-11-26 19:00+01:00
wed | tomorrow night => 2026-11-26 22:00+01:00
wed | tomorrow at noon => 2026-11-26 12:00+01:00
wed | tomorrow noon => 2026-11-26 12:00+01:00
wed | tomorrow at midnight => 2026-11-27 00:00+01:00
wed | today => 2026-11-25
wed | today at 5pm => 2026-11-25 17:00+01:00
wed | today 8am => ! past
wed | tonight => 2026-11-25 19:00+01:00
wed | tonight at 8 => 2026-11-25 20:00+01:00
wed | this evening => 2026-11-25 19:00+01:00
wed | this afternoon => 2026-11-25 15:00+01:00
wed | this morning => ! past
wed | in the evening => 2026-11-25 19:00+01:00
wed | at night => 2026-11-25 22:00+01:00
wed | at noon => 2026-11-25 12:00+01:00
wed | noon => 2026-11-25 12:00+01:00
wed | midnight => 2026-11-26 00:00+01:00
wed | day after tomorrow => 2026-11-27
wed | the day after tomorrow => 2026-11-27
wed | the day after tomorrow at 10 => 2026-11-27 10:00+01:00
wed | yesterday => ! past
wed | in half an hour => 2026-11-25 10:30+01:00
wed | in 120 seconds => 2026-11-25 10:02+01:00
wed | in an hour => 2026-11-25 11:00+01:00
wed | in an hour and a half => 2026-11-25 11:30+01:00
wed | in one and a half hours => 2026-11-25 11:30+01:00
wed | in 1.5 hours => 2026-11-25 11:30+01:00
wed | in a quarter of an hour => 2026-11-25 10:15+01:00
wed | in 15 minutes => 2026-11-25 10:15+01:00
wed | in 15 mins => 2026-11-25 10:15+01:00
wed | in 90 min => 2026-11-25 11:30+01:00
wed | in 2 hours => 2026-11-25 12:00+01:00
wed | in 2 hours and 15 minutes => 2026-11-25 12:15+01:00
wed | in 3 days => 2026-11-28
wed | in three days => 2026-11-28
wed | in a week => 2026-12-02
wed | in 2 weeks => 2026-12-09
wed | in two weeks => 2026-12-09
wed | in a fortnight => 2026-12-09
wed | in 8 days => 2026-12-03
wed | in a month => 2026-12-25
wed | in 6 months => 2027-05-25
wed | in a year => 2027-11-25
wed | in 2 weeks at 10am => 2026-12-09 10:00+01:00
wed | Wednesday in two weeks => 2026-12-09
wed | Friday in 2 weeks => 2026-12-11
wed | next week => 2026-11-30
wed | the week after next => 2026-12-07
wed | week after next => 2026-12-07
wed | next week Tuesday => 2026-12-01
wed | Tuesday next week => 2026-12-01
wed | Friday next week at 3pm => 2026-12-04 15:00+01:00
wed | this week Friday => 2026-11-27
wed | Friday => 2026-11-27
wed | on Friday => 2026-11-27
wed | Fri => 2026-11-27
wed | friday at 10 => 2026-11-27 10:00+01:00
wed | friday at 10am => 2026-11-27 10:00+01:00
wed | friday 3pm => 2026-11-27 15:00+01:00
wed | friday at 3 => ? 2026-11-27 03:00+01:00 / 2026-11-27 15:00+01:00
wed | Friday evening => 2026-11-27 19:00+01:00
wed | Friday morning => 2026-11-27 09:00+01:00
wed | Wednesday => ? 2026-11-25 / 2026-12-02
wed | Monday => 2026-11-30
wed | this Friday => 2026-11-27
wed | this Monday => 2026-11-30
wed | next Friday => ? 2026-11-27 / 2026-12-04
wed | next Monday => 2026-11-30
wed | next Wednesday => 2026-12-02
wed | coming Friday => 2026-11-27
wed | this coming Friday => 2026-11-27
wed | Friday after next => ? 2026-12-04 / 2026-12-11
wed | Monday after next => 2026-12-07
wed | Friday, 27 November => 2026-11-27
wed | Friday November 27 => 2026-11-27
wed | Friday Dec 4 => 2026-12-04
wed | 4 December => 2026-12-04
wed | 4th December => 2026-12-04
wed | 4th of December => 2026-12-04
wed | the 4th of December => 2026-12-04
wed | December 4 => 2026-12-04
wed | December 4th => 2026-12-04
wed | December 4th, 2026 => 2026-12-04
wed | Dec 4 2026 => 2026-12-04
wed | Dec 4 at 3pm => 2026-12-04 15:00+01:00
wed | on the 4th => 2026-12-04
wed | the 30th => 2026-11-30
wed | March 5 => 2027-03-05
wed | 5 March 2027 10:00 => 2027-03-05 10:00+01:00
wed | early December => 2026-12-01
wed | mid December => 2026-12-15
wed | end of December => 2026-12-31
wed | late January => 2027-01-31
wed | end of the month => 2026-11-30
wed | end of month => 2026-11-30
wed | end of next month => 2026-12-31
wed | start of next month => 2026-12-01
wed | beginning of next month => 2026-12-01
wed | next month => 2026-12-01
wed | mid-month => 2026-12-15
wed | this weekend => 2026-11-28
wed | weekend => 2026-11-28
wed | next weekend => ? 2026-11-28 / 2026-12-05
wed | end of the week => 2026-11-27
wed | end of next week => 2026-12-04
wed | start of next week => 2026-11-30
wed | early next week => 2026-11-30
wed | mid next week => 2026-12-02
wed | end of the year => 2026-12-31
wed | christmas => 2026-12-25
wed | christmas eve => 2026-12-24
wed | new year's eve => 2026-12-31
wed | half past 8 => ? 2026-11-25 20:30+01:00 / 2026-11-26 08:30+01:00
wed | half past eight => ? 2026-11-25 20:30+01:00 / 2026-11-26 08:30+01:00
wed | at half 8 => ? 2026-11-25 20:30+01:00 / 2026-11-26 08:30+01:00
wed | quarter past 9 => ? 2026-11-25 21:15+01:00 / 2026-11-26 09:15+01:00
wed | a quarter past 9 => ? 2026-11-25 21:15+01:00 / 2026-11-26 09:15+01:00
wed | quarter to 9 => ? 2026-11-25 20:45+01:00 / 2026-11-26 08:45+01:00
wed | ten past 9 => ? 2026-11-25 21:10+01:00 / 2026-11-26 09:10+01:00
wed | 20 to 9 => ? 2026-11-25 20:40+01:00 / 2026-11-26 08:40+01:00
wed | 5 minutes past 9 => ? 2026-11-25 21:05+01:00 / 2026-11-26 09:05+01:00
wed | at 8 => ? 2026-11-25 20:00+01:00 / 2026-11-26 08:00+01:00
wed | at 3 => 2026-11-25 15:00+01:00
wed | at 11 => 2026-11-25 11:00+01:00
wed | at 8 o'clock => 2026-11-26 08:00+01:00
wed | eight o'clock => 2026-11-26 08:00+01:00
wed | at eight => ? 2026-11-25 20:00+01:00 / 2026-11-26 08:00+01:00
wed | 9am => 2026-11-26 09:00+01:00
wed | 9 am => 2026-11-26 09:00+01:00
wed | 9:30am => 2026-11-26 09:30+01:00
wed | 9:30 pm => 2026-11-25 21:30+01:00
wed | 12pm => 2026-11-25 12:00+01:00
wed | 12am => 2026-11-26 00:00+01:00
wed | 13pm => ! invalidTime
wed | 4/1 => ? 2027-01-04 / 2027-04-01
wed | 4/1/2027 => ? 2027-01-04 / 2027-04-01
wed | 12/25 => 2026-12-25
wed | 25/12 => 2026-12-25
wed | 12/25/2026 => 2026-12-25
wed | 13/13 => ! invalidDate
wed | 2026/12/25 => 2026-12-25
wed | 4/4 => 2027-04-04
wed | tomorrow or friday => ? 2026-11-26 / 2026-11-27
wed | morgen oder Freitag 10 Uhr => ? 2026-11-26 / 2026-11-27 10:00+01:00
wed | monday and tuesday => ! conflict
wed | Montag bis Freitag => ! conflict

# sat: the day before clocks spring forward (02:00-03:00 does not exist on 28 March)
sat | morgen => 2027-03-28
sat | morgen 2:30 => ? 2027-03-28 03:30+02:00 / 2027-03-28 14:30+02:00
sat | morgen 02:30 => 2027-03-28 03:30+02:00
sat | morgen 3:30 => ? 2027-03-28 03:30+02:00 / 2027-03-28 15:30+02:00
sat | morgen 9 Uhr => 2027-03-28 09:00+02:00
sat | morgen früh => 2027-03-28 08:00+02:00
sat | heute Abend => 2027-03-27 19:00+01:00
sat | Sonntag 14:00 => 2027-03-28 14:00+02:00
sat | in 24 Stunden => 2027-03-28 11:00+02:00
sat | in 1 Tag => 2027-03-28
sat | in 2 Stunden => 2027-03-27 12:00+01:00
sat | übermorgen 10 Uhr => 2027-03-29 10:00+02:00
sat | Wochenende => 2027-03-27
sat | nächstes Wochenende => 2027-04-03
sat | Ende der Woche => ! past
sat | nächsten Sonntag => ? 2027-03-28 / 2027-04-04
sat | kommenden Sonntag => 2027-03-28
sat | Sonntag => 2027-03-28
sat | Samstag => ? 2027-03-27 / 2027-04-03
sat | Samstag 9 Uhr => 2027-04-03 09:00+02:00
sat | 28.3. 2:30 => ? 2027-03-28 03:30+02:00 / 2027-03-28 14:30+02:00
sat | 28.3. 02:30 => 2027-03-28 03:30+02:00

# fall: the day before clocks fall back (02:00-03:00 happens twice on 31 October)
fall | morgen 2:30 => ? 2027-10-31 02:30+02:00 / 2027-10-31 14:30+01:00
fall | morgen 02:30 => 2027-10-31 02:30+02:00
fall | morgen 02:59 => 2027-10-31 02:59+02:00
fall | morgen 03:00 => 2027-10-31 03:00+01:00
fall | morgen 9 Uhr => 2027-10-31 09:00+01:00
fall | in 24 Stunden => 2027-10-31 09:00+01:00
fall | in 1 Tag => 2027-10-31
fall | 31.10. 02:15 => 2027-10-31 02:15+02:00
fall | Ende des Monats => 2027-10-31
fall | Monatsanfang => 2027-11-01
fall | nächste Woche => 2027-11-01

# eve: late in the evening
eve | heute Abend => ! past
eve | tonight => ! past
eve | heute Nacht => 2026-11-23 22:00+01:00
eve | heute um 9 => ! past
eve | um 9 => 2026-11-24 09:00+01:00
eve | um 8 => 2026-11-24 08:00+01:00
eve | um 3 => ? 2026-11-24 03:00+01:00 / 2026-11-24 15:00+01:00
eve | 3 Uhr => ? 2026-11-24 03:00+01:00 / 2026-11-24 15:00+01:00
eve | abends => 2026-11-24 19:00+01:00
eve | halb 10 => 2026-11-24 09:30+01:00
eve | Mitternacht => 2026-11-24 00:00+01:00
eve | in 2 Stunden => 2026-11-23 23:30+01:00
eve | morgen => 2026-11-24
eve | Montag => ? 2026-11-23 / 2026-11-30
eve | nächsten Montag => 2026-11-30
eve | this evening => ! past

# wed: a phrase, then the text
wed | morgen früh Akten holen => 2026-11-26 08:00+01:00 | Akten holen
wed | 1.4. ganztägig Urlaub => 2027-04-01 | Urlaub
wed | morgen 9 Uhr Akten holen => 2026-11-26 09:00+01:00 | Akten holen
wed | morgen Akten um 9 holen => ! timeWordLeft
wed | morgen Akten holen => 2026-11-26 | Akten holen
wed | Freitag Bericht bis 14:30 abgeben => ! timeWordLeft
wed | Freitag 10 Uhr Bericht bis 14:30 abgeben => 2026-11-27 10:00+01:00 | Bericht bis 14:30 abgeben
wed | in 40 minutes second reminder => 2026-11-25 10:40+01:00 | second reminder
wed | in 2 Stunden Minute für Minute planen => 2026-11-25 12:00+01:00 | Minute für Minute planen
wed | in 2 Stunden und eine Viertelstunde => 2026-11-25 12:15+01:00
wed | morgen Vormittags-Sitzung => 2026-11-26 | Vormittags-Sitzung
wed | morgen Morgenrunde => 2026-11-26 | Morgenrunde
wed | morgen am Bahnhof Tickets kaufen => 2026-11-26 | am Bahnhof Tickets kaufen
wed | Montag die Akten => 2026-11-30 | die Akten
wed | Freitag 3 Ordner holen => ? 2026-11-27 03:00+01:00 / 2026-11-27 15:00+01:00 | Ordner holen
wed | Freitag drei Ordner holen => 2026-11-27 | drei Ordner holen
wed | morgen um 9 und bring cake => 2026-11-26 09:00+01:00 | und bring cake
wed | tomorrow 9:00 and bring cake => 2026-11-26 09:00+01:00 | and bring cake
wed | in 2 Stunden Pause machen => 2026-11-25 12:00+01:00 | Pause machen
wed | next friday 14:00 send the report => ? 2026-11-27 14:00+01:00 / 2026-12-04 14:00+01:00 | send the report
wed | morgen heute => ! conflict
wed | morgen Uhr => ! timeWordLeft
wed | Montag ganztägig 9 Uhr => ! conflict
wed | in one and a half hours => 2026-11-25 11:30+01:00
wed | Freitag Abendessen vorbereiten => 2026-11-27 | Abendessen vorbereiten
wed | morgen früh früh => ! conflict
wed | morgen abends Uhr => ! timeWordLeft
wed | am Montag am Bahnhof => 2026-11-30 | am Bahnhof
wed | Montagmorgen => 2026-11-30 09:00+01:00
wed | morgen um 8 am Abend => 2026-11-26 20:00+01:00
wed | um 9 am Montag => 2026-11-30 09:00+01:00
wed | 8 am => 2026-11-26 08:00+01:00
wed | 9 am Montag => ! unparseable

# ny: New York
ny | tomorrow 9am => 2026-11-26 09:00-05:00
ny | Friday => 2026-11-27
ny | friday at 10 => 2026-11-27 10:00-05:00
ny | next week => 2026-11-30
ny | in 2 hours => 2026-11-25 12:00-05:00
ny | tonight => 2026-11-25 19:00-05:00
ny | end of the month => 2026-11-30
ny | 12/25 => 2026-12-25
ny | 4/1 => ? 2027-01-04 / 2027-04-01
ny | 2026-12-04 => 2026-12-04

# nyd: New York before its spring-forward night
nyd | tomorrow 2:30am => 2027-03-14 03:30-04:00
nyd | tomorrow 9am => 2027-03-14 09:00-04:00
nyd | tomorrow => 2027-03-14
nyd | in 24 hours => 2027-03-14 11:00-04:00

# tokyo: Tokyo
tokyo | morgen 9 Uhr => 2026-12-19 09:00+09:00
tokyo | 20.12. => 2026-12-20
tokyo | heute Abend => 2026-12-18 19:00+09:00

# dec: the turn of the year
dec | 1.1. => 2027-01-01
dec | nächste Woche => 2027-01-04
dec | Ende des Monats => 2026-12-31
dec | in einem Monat => 2027-01-30
dec | Silvester => 2026-12-31
dec | Neujahr => 2027-01-01
dec | Monatsanfang => 2027-01-01
dec | morgen 18 Uhr => 2026-12-31 18:00+01:00
dec | Jahresende => 2026-12-31
dec | 30.12. => 2026-12-30
dec | 29.12. => 2027-12-29

# jan: the last day of a month
jan | in einem Monat => 2027-02-28
jan | Ende nächsten Monats => 2027-02-28
jan | Mitte des Monats => 2027-02-15
jan | Monatsanfang => 2027-02-01
jan | übermorgen => 2027-02-02
`;

function show(when: When, zone: string): string {
  return when.kind === "date"
    ? when.date
    : DateTime.fromJSDate(when.at, { zone }).toFormat("yyyy-MM-dd HH:mmZZ");
}

const rows = table
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"))
  .map((line) => {
    const [head = "", expected = ""] = line.split(" => ");
    const [context = "", phrase = ""] = head.split(" | ");
    return { context, phrase, expected };
  });

describe("the phrase table", () => {
  it("has several hundred rows in both languages", () => {
    expect(rows.length).toBeGreaterThan(450);
  });

  it.each(rows)("$context | $phrase => $expected", ({ context, phrase, expected }) => {
    const ctx = contexts[context];
    if (!ctx) throw new Error(`no context ${context}`);
    const read = readWhen(phrase.split(/\s+/), { now: new Date(ctx.now), timeZone: ctx.zone, lang: "de" });
    const rest = read.kind === "error" || read.rest.length === 0 ? "" : ` | ${read.rest.join(" ")}`;
    const got =
      read.kind === "when"
        ? show(read.when, ctx.zone) + rest
        : read.kind === "question"
          ? `? ${read.choices.map((c) => show(c, ctx.zone)).join(" / ")}${rest}`
          : `! ${read.reason}`;
    expect(got).toBe(expected);
  });
});
