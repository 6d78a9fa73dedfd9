import { Duration } from "luxon";
import type { Translator } from "../../core/i18n.ts";
import {
  type Action,
  action,
  type Block,
  heading,
  list,
  mention,
  paragraph,
  type Span,
  text,
  time,
} from "../../core/message.ts";
import { intlLocale, type Language } from "../../core/time.ts";
import type { Member, RrEvent, Team } from "../../generated/prisma/client.ts";
import { isActive, nameOf, parseEventData, parseSkills, postKey, type RequestWithAll } from "./model.ts";
import type { Content } from "./outbox.ts";
import type { RosterEntry } from "./responders.ts";
import type { RrSettings } from "./settings.ts";
import type { Stats } from "./stats.ts";

const p = (spans: Span[]): Block => ({ kind: "paragraph", spans });

/** "1 h 30 min", "10 min", "45 s" in the reader's language. */
export function humanDuration(ms: number, lang: Language): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60)
    return Duration.fromObject({ seconds }, { locale: intlLocale(lang) }).toHuman({ unitDisplay: "short" });
  const minutes = Math.round(seconds / 60);
  const parts: Record<string, number> = {};
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) parts.days = days;
  if (hours > 0) parts.hours = hours;
  if (rest > 0 && days === 0) parts.minutes = rest;
  return Duration.fromObject(parts, { locale: intlLocale(lang) }).toHuman({ unitDisplay: "short" });
}

const teamName = (team: Team): string => team.name || team.ref;

export const claimAction = (tr: Translator, number: number, teamRef?: string): Action =>
  action(
    tr.t("rr.claimButton"),
    teamRef ? `rr claim ${number} --team ${teamRef}` : `rr claim ${number}`,
    "primary",
  );

function title(tr: Translator, r: RequestWithAll): Block {
  return p(tr.tm(r.urgent ? "rr.post.titleUrgent" : "rr.post.title", { id: r.number }));
}

/** Facts under the request's text: who asked, how many, which skills, until when, latest update. */
function facts(tr: Translator, r: RequestWithAll): Block {
  const items: Span[][] = [
    tr.tm("rr.post.askedBy", { name: nameOf(r.requester), at: time(r.createdAt, "datetime") }),
  ];
  if (r.need > 1) items.push(tr.tm("rr.post.need", { need: r.need }));
  const skills = parseSkills(r.skills);
  if (skills.length > 0) items.push(tr.tm("rr.post.skills", { skills: skills.join(", ") }));
  if (r.by) items.push(tr.tm("rr.post.by", { by: time(r.by, "datetime") }));
  if (r.lastUpdate) items.push(tr.tm("rr.post.lastUpdate", { text: r.lastUpdate }));
  return list(items);
}

/** The request's state in one line. */
export function statusLine(tr: Translator, r: RequestWithAll): Span[] {
  const names = tr.list(r.claims.map((c) => nameOf(c.member)));
  const closedAt = time(r.closedAt ?? r.createdAt, "datetime");
  switch (r.status) {
    case "covered":
      return tr.tm("rr.status.covered", { names });
    case "resolved":
      return tr.tm("rr.status.resolved", { at: closedAt });
    case "cancelled":
      return tr.tm("rr.status.cancelled", { at: closedAt });
    case "expired":
      return tr.tm("rr.status.expired", { at: closedAt });
    default: {
      if (r.unansweredAt) return tr.tm("rr.status.unanswered", { count: r.escalations });
      const base =
        r.claims.length === 0
          ? tr.tm("rr.status.open")
          : tr.tm("rr.status.partly", { have: r.claims.length, need: r.need, names });
      if (r.escalations === 0) return base;
      return [...base, text(" "), ...tr.tm("rr.status.escalated", { count: r.escalations })];
    }
  }
}

/** The room post: re-sent under the same key on every change, so it is edited in place where possible. */
export function requestPost(tr: Translator, r: RequestWithAll): Content {
  const blocks: Block[] = [title(tr, r), paragraph(r.text), facts(tr, r), p(statusLine(tr, r))];
  if (r.note) blocks.push(p(tr.tm("rr.post.note", { note: r.note })));
  const open = isActive(r.status) && r.claims.length < r.need;
  const tone =
    r.status === "covered" || r.status === "resolved"
      ? "success"
      : r.status === "open" && (r.urgent || r.unansweredAt)
        ? "warning"
        : "info";
  return {
    blocks,
    actions: open ? [claimAction(tr, r.number)] : [],
    tone,
    key: postKey(r.number),
  };
}

/** The private alert to a responder, with the claim button (which names the team: it runs in a DM). */
export function alertMessage(tr: Translator, r: RequestWithAll): Content {
  return {
    blocks: [
      p(
        tr.tm(r.urgent ? "rr.alert.titleUrgent" : "rr.alert.title", { id: r.number, team: teamName(r.team) }),
      ),
      paragraph(r.text),
      facts(tr, r),
      p(tr.tm("rr.alert.why")),
    ],
    actions: [claimAction(tr, r.number, r.team.ref)],
    tone: r.urgent ? "warning" : "info",
  };
}

/** The requester's confirmation: whom the bot alerted (mentions: exactly the alerted) and what comes next. */
export function createdReply(
  tr: Translator,
  r: RequestWithAll,
  alerted: Member[],
  escalatesAt: Date | null,
): Block[] {
  const blocks: Block[] = [p(tr.tm("rr.created", { id: r.number }))];
  if (alerted.length === 0) blocks.push(p(tr.tm("rr.alertedNobody")));
  else {
    const spans: Span[] = [];
    alerted.forEach((m, i) => {
      if (i > 0) spans.push(text(", "));
      spans.push(mention(m.ref, nameOf(m)));
    });
    blocks.push(p([...tr.tm("rr.alerted", { count: alerted.length }), text(" "), ...spans]));
  }
  if (escalatesAt) blocks.push(p(tr.tm("rr.escalatesAt", { at: time(escalatesAt, "time") })));
  if (r.by) blocks.push(p(tr.tm("rr.expiresAt", { at: time(r.by, "datetime") })));
  return blocks;
}

/** The team-wide alert when nobody took the request in time. */
export function escalationRoomAlert(
  tr: Translator,
  r: RequestWithAll,
  round: number,
  total: number,
  team: Member[] = [],
): Content {
  // "The whole team" is pinged by name: everyone seen in the team but the requester and those already on it.
  const taken = new Set([r.requesterId, ...r.claims.map((c) => c.memberId)]);
  const spans: Span[] = [];
  for (const m of team.filter((m) => !taken.has(m.id))) {
    if (spans.length > 0) spans.push(text(" "));
    spans.push(mention(m.ref, nameOf(m)));
  }
  return {
    blocks: [
      p(tr.tm("rr.escalation.room", { id: r.number, round, total })),
      ...(spans.length > 0 ? [p(spans)] : []),
      paragraph(r.text),
      facts(tr, r),
    ],
    actions: [claimAction(tr, r.number)],
    tone: "warning",
  };
}

export function escalationCoordinatorNote(
  tr: Translator,
  r: RequestWithAll,
  round: number,
  total: number,
  minutesOpen: number,
): Content {
  return {
    blocks: [
      p(
        tr.tm("rr.escalation.coordinator", {
          id: r.number,
          team: teamName(r.team),
          open: humanDuration(minutesOpen * 60_000, tr.lang),
          round,
          total,
        }),
      ),
      paragraph(r.text),
    ],
    actions: [claimAction(tr, r.number, r.team.ref)],
    tone: "warning",
  };
}

export function unansweredRoom(tr: Translator, r: RequestWithAll): Content {
  return { blocks: [p(tr.tm("rr.unanswered.room", { id: r.number }))], tone: "warning" };
}

export function unansweredPrivate(
  tr: Translator,
  r: RequestWithAll,
  total: number,
  requester: boolean,
): Content {
  return {
    blocks: [
      p(
        tr.tm(requester ? "rr.unanswered.requester" : "rr.unanswered.coordinator", {
          id: r.number,
          team: teamName(r.team),
          count: total,
        }),
      ),
      paragraph(r.text),
    ],
    // Coordinators may step in themselves; the requester gets no button for their own request.
    actions: requester ? [] : [claimAction(tr, r.number, r.team.ref)],
    tone: "warning",
  };
}

export function expiredPrivate(tr: Translator, r: RequestWithAll): Content {
  return {
    blocks: [
      p(tr.tm("rr.expired.requester", { id: r.number, at: time(r.by ?? r.createdAt, "datetime") })),
      paragraph(r.text),
    ],
    tone: "warning",
  };
}

/** One line per request for `rr list`. */
export function listLine(tr: Translator, r: RequestWithAll): Span[] {
  return [
    ...tr.tm(r.urgent ? "rr.list.itemUrgent" : "rr.list.item", { id: r.number, text: r.text }),
    text(" – "),
    ...statusLine(tr, r),
    text(" – "),
    time(r.createdAt, "relative"),
  ];
}

function eventLine(tr: Translator, e: RrEvent): Span[] {
  const data = parseEventData(e.data);
  const who = e.actor ?? "";
  const params = { name: who, text: data.text ?? "", round: data.round ?? 0 };
  let spans: Span[];
  switch (e.kind) {
    case "alerted":
      spans =
        data.names && data.names.length > 0
          ? tr.tm("rr.timeline.alerted", { names: tr.list(data.names) })
          : tr.tm("rr.timeline.alertedNobody");
      break;
    case "resolved":
    case "cancelled":
      spans = tr.tm(data.text ? `rr.timeline.${e.kind}Note` : `rr.timeline.${e.kind}`, params);
      break;
    case "created":
    case "escalated":
    case "unanswered":
    case "claimed":
    case "unclaimed":
    case "updated":
    case "expired":
      spans = tr.tm(`rr.timeline.${e.kind}`, params);
      break;
    default:
      spans = [text(e.kind)];
  }
  return [time(e.at, "datetime"), text(": "), ...spans];
}

export function infoView(tr: Translator, r: RequestWithAll, events: RrEvent[]): Block[] {
  const blocks: Block[] = [title(tr, r), paragraph(r.text), facts(tr, r), p(statusLine(tr, r))];
  if (r.note) blocks.push(p(tr.tm("rr.post.note", { note: r.note })));
  blocks.push(heading(tr.t("rr.timeline.title")), list(events.map((e) => eventLine(tr, e))));
  return blocks;
}

export function rosterView(tr: Translator, entries: RosterEntry[], known: string[]): Block[] {
  const available = entries.filter((e) => e.available);
  const others = entries.filter((e) => !e.available);
  const line = (e: RosterEntry): Span[] => {
    const spans: Span[] = [text(nameOf(e.member))];
    if (e.until) spans.push(text(" "), ...tr.tm("rr.roster.until", { at: time(e.until, "datetime") }));
    if (e.skills.length > 0) spans.push(text(": "), text(e.skills.join(", ")));
    return spans;
  };
  const blocks: Block[] = [heading(tr.t("rr.roster.title"))];
  blocks.push(p(tr.tm("rr.roster.available", { count: available.length })));
  if (available.length > 0) blocks.push(list(available.map(line)));
  if (others.length > 0) {
    blocks.push(p(tr.tm("rr.roster.notAvailable", { count: others.length })));
    blocks.push(list(others.map(line)));
  }
  blocks.push(p(tr.tm("rr.roster.skills", { skills: known.length > 0 ? known.join(", ") : "–" })));
  return blocks;
}

export function settingsView(tr: Translator, s: RrSettings): Block[] {
  return [
    heading(tr.t("rr.settings.title")),
    list([
      tr.tm("rr.settings.urgent", { value: humanDuration(s.urgentMinutes * 60_000, tr.lang) }),
      tr.tm("rr.settings.normal", { value: humanDuration(s.normalMinutes * 60_000, tr.lang) }),
      tr.tm("rr.settings.repeats", { count: s.repeats }),
    ]),
    p(tr.tm("rr.settings.hint")),
  ];
}

export function statsView(tr: Translator, s: Stats, periodMs: number): Block[] {
  const d = (ms: number | null) => (ms === null ? "–" : humanDuration(ms, tr.lang));
  const share = s.requests === 0 ? 0 : Math.round((s.covered / s.requests) * 100);
  return [
    heading(tr.t("rr.stats.title", { period: humanDuration(periodMs, tr.lang) })),
    list([
      tr.tm("rr.stats.requests", {
        count: s.requests,
        open: s.open,
        resolved: s.resolved,
        cancelled: s.cancelled,
        expired: s.expired,
      }),
      tr.tm("rr.stats.covered", { covered: s.covered, requests: s.requests, share: tr.number(share / 100, { style: "percent" }) }),
      tr.tm("rr.stats.toClaim", { median: d(s.toClaim.median), p90: d(s.toClaim.p90), count: s.toClaim.n }),
      tr.tm("rr.stats.toResolve", {
        median: d(s.toResolve.median),
        p90: d(s.toResolve.p90),
        count: s.toResolve.n,
      }),
      tr.tm("rr.stats.unanswered", { count: s.unanswered }),
    ]),
  ];
}
