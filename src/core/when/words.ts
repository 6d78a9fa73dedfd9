/**
 * The words of dates and times in German and English, in one folded spelling: lower case,
 * ä/ö/ü/ß written ae/oe/ue/ss, so "nächsten", "naechsten" and "Nächsten" are one word.
 */
export function fold(word: string): string {
  return word
    .normalize("NFC")
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[’`´]/g, "'");
}

function table<T>(entries: [T, string][]): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of entries) for (const w of words.split(" ")) map.set(w, value);
  return map;
}

/** ISO weekday (Monday 1 … Sunday 7) of full names and unambiguous abbreviations. */
export const weekdays = table<number>([
  [1, "montag monday mon mon. mo."],
  [2, "dienstag tuesday tue tue. tues tues. di."],
  [3, "mittwoch wednesday wed wed. mi."],
  [4, "donnerstag thursday thu thu. thur thurs thurs. do."],
  [5, "freitag friday fri fri. fr."],
  [6, "samstag sonnabend saturday sat. sa."],
  [7, "sonntag sunday sun. so."],
]);

/** Two-letter German abbreviations, which are also ordinary words ("die", "so", "do"): lists only. */
export const shortWeekdays = table<number>([
  [1, "mo mon"],
  [2, "di die tue"],
  [3, "mi mit wed"],
  [4, "do don thu"],
  [5, "fr fre fri"],
  [6, "sa sam sat"],
  [7, "so son sun"],
]);

/** "montags", "mondays": a weekday said as a habit, which starts a recurring rule. */
export const habitualWeekdays = table<number>([
  [1, "montags mondays"],
  [2, "dienstags tuesdays"],
  [3, "mittwochs wednesdays"],
  [4, "donnerstags thursdays"],
  [5, "freitags fridays"],
  [6, "samstags sonnabends saturdays"],
  [7, "sonntags sundays"],
]);

export const months = table<number>([
  [1, "januar jaenner january jan jan."],
  [2, "februar feber february feb feb."],
  [3, "maerz march maer maer. mrz mrz. mar."],
  [4, "april apr apr."],
  [5, "mai may"],
  [6, "juni june jun jun."],
  [7, "juli july jul jul."],
  [8, "august aug aug."],
  [9, "september sep sep. sept sept."],
  [10, "oktober october okt okt. oct oct."],
  [11, "november nov nov."],
  [12, "dezember december dez dez. dec dec."],
]);

export const numberWords = table<number>([
  [1, "ein eine einer einem einen eins one"],
  [2, "zwei zwo two"],
  [3, "drei three"],
  [4, "vier four"],
  [5, "fuenf five"],
  [6, "sechs six"],
  [7, "sieben seven"],
  [8, "acht eight"],
  [9, "neun nine"],
  [10, "zehn ten"],
  [11, "elf eleven"],
  [12, "zwoelf twelve"],
  [13, "dreizehn thirteen"],
  [14, "vierzehn fourteen"],
  [15, "fuenfzehn fifteen"],
  [16, "sechzehn sixteen"],
  [17, "siebzehn seventeen"],
  [18, "achtzehn eighteen"],
  [19, "neunzehn nineteen"],
  [20, "zwanzig twenty"],
  [25, "fuenfundzwanzig twenty-five"],
  [30, "dreissig thirty"],
  [40, "vierzig forty"],
  [45, "fuenfundvierzig forty-five"],
  [50, "fuenfzig fifty"],
  [60, "sechzig sixty"],
  [90, "neunzig ninety"],
]);

/** Ordinals: "ersten", "2.", "second", "last" (-1). */
export const ordinals = table<number>([
  [1, "erste ersten erster erstes 1. first 1st"],
  [2, "zweite zweiten zweiter 2. second 2nd"],
  [3, "dritte dritten dritter 3. third 3rd"],
  [4, "vierte vierten vierter 4. fourth 4th"],
  [5, "fuenfte fuenften fuenfter 5. fifth 5th"],
  [-1, "letzte letzten letzter letztes last"],
  [-2, "vorletzte vorletzten vorletzter"],
]);

export type Unit = "seconds" | "minutes" | "hours" | "days" | "weeks" | "months" | "years";

export const units = table<{ unit: Unit; times: number }>([
  [{ unit: "seconds", times: 1 }, "s sek sek. sekunde sekunden sec secs second seconds"],
  [{ unit: "minutes", times: 1 }, "m min min. mins minute minuten minutes"],
  [{ unit: "minutes", times: 15 }, "viertelstunde viertelstunden"],
  [{ unit: "minutes", times: 45 }, "dreiviertelstunde dreiviertelstunden"],
  [{ unit: "hours", times: 1 }, "h std std. stunde stunden hour hours hr hrs"],
  [{ unit: "days", times: 1 }, "d t tag tage tagen day days"],
  [{ unit: "weeks", times: 1 }, "w woche wochen week weeks wk wks"],
  [{ unit: "weeks", times: 2 }, "fortnight fortnights"],
  [{ unit: "months", times: 1 }, "monat monate monaten monats month months"],
  [{ unit: "years", times: 1 }, "jahr jahre jahren year years"],
]);

/** Parts of the day, each with a default hour a team can change (see `DayPartHours`). */
export type DayPart = "early" | "morning" | "forenoon" | "noon" | "afternoon" | "evening" | "night";

export type DayPartHours = Record<DayPart, number>;

/**
 * The hours the parts of the day mean when no time is given ("morgen früh", "tonight").
 * `morning` is also the hour at which a reminder for a bare date fires.
 */
export const defaultDayPartHours: DayPartHours = {
  early: 8,
  morning: 9,
  forenoon: 10,
  noon: 12,
  afternoon: 15,
  evening: 19,
  night: 22,
};

export const dayParts = table<DayPart>([
  ["early", "frueh fruehmorgens early"],
  ["morning", "morgens morning mornings"],
  ["forenoon", "vormittag vormittags forenoon"],
  ["noon", "mittag mittags noon midday lunchtime mittagszeit"],
  ["afternoon", "nachmittag nachmittags afternoon afternoons"],
  ["evening", "abend abends evening evenings"],
  ["night", "nacht nachts night nights"],
]);

/** Day parts that need a date or "this"/"in the" before them to count ("evening" alone is text). */
export const dayPartNouns = new Set([
  "morning",
  "afternoon",
  "evening",
  "night",
  "early",
  "mittag",
  "abend",
  "nacht",
  "vormittag",
  "nachmittag",
]);

/** Words that only fill a date phrase: "am Montag", "on the 4th", "um 9", "at 10". */
export const fillers = new Set([
  "am",
  "an",
  "on",
  "the",
  "den",
  "dem",
  "der",
  "des",
  "um",
  "at",
  "gegen",
  "around",
  "ca.",
  "ca",
  "zum",
  "zur",
  "by",
  "for",
]);

/** Words that end a date phrase and start a second one: "morgen oder Freitag". */
export const alternatives = new Set(["oder", "or"]);
export const joiners = new Set(["und", "and", "bis", "to", "-", "–", "&"]);

/** Words that make a phrase a whole day: "1.4. ganztägig". */
export const wholeDayWords = new Set(["ganztaegig", "ganztags", "all-day", "allday"]);

/**
 * Words that are only ever part of a time: when one is left right after a date, the date
 * was misread, and the reader says so instead of keeping the word in the text.
 */
const timeOnlyWords = new Set([
  "uhr",
  "o'clock",
  "oclock",
  "pm",
  "a.m.",
  "p.m.",
  "heute",
  "today",
  "morgen",
  "tomorrow",
  "uebermorgen",
  "gestern",
  "yesterday",
  "tonight",
  "viertel",
  "dreiviertel",
  "mitternacht",
  "midnight",
  "ganztaegig",
  "ganztags",
  "all-day",
  "monatsende",
  "monatsanfang",
]);

/** Is this word (folded) one that belongs to a time, not to a reminder's text? */
export function isTimeWord(word: string): boolean {
  const w = word.replace(/[,;!?]+$/, "");
  if (timeOnlyWords.has(w)) return true;
  if (weekdays.has(w) || habitualWeekdays.has(w)) return true;
  if (dayParts.has(w) && !dayPartNouns.has(w)) return true;
  if (/^\d{1,2}[:.]\d{2}(uhr|h|am|pm)?$/.test(w)) return true;
  if (/^\d{1,2}(uhr|h|am|pm|a\.m\.|p\.m\.)$/.test(w)) return true;
  if (/^\d{1,2}\.\d{1,2}\.(\d{2,4})?$/.test(w)) return true;
  if (/^\d{4}-\d{2}-\d{2}/.test(w)) return true;
  return false;
}
