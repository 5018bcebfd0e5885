// What a push notification says (pure), in the phone's language. The words come from the phone
// app's own translations (console/src/locales), so the notification and the app never disagree.
import type {
  CaseSummary,
  OfferWithCase,
  OfferWithdrawn,
  PushLanguage,
  PushMessage,
} from "../../protocol/index.ts";
import zhPhone from "../../console/src/locales/zh-CN/phone.json" with { type: "json" };
import enPhone from "../../console/src/locales/en/phone.json" with { type: "json" };
import zhCase from "../../console/src/locales/zh-CN/case.json" with { type: "json" };
import enCase from "../../console/src/locales/en/case.json" with { type: "json" };

const TEXTS = {
  "zh-CN": { ...zhPhone, caseType: zhCase.caseType, service: zhCase.service },
  en: { ...enPhone, caseType: enCase.caseType, service: enCase.service },
} as const;

const fill = (template: string, vars: Record<string, string>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? "");

function typeLabel(lang: PushLanguage, c: Pick<CaseSummary, "type" | "service">): string {
  const t = TEXTS[lang];
  return c.type === "service_request" && c.service ? t.service[c.service] : t.caseType[c.type];
}

/** The app opens here when the notification is tapped. */
export const offerUrl = (offerId: number): string => `/responder?offer=${offerId}`;
export const caseUrl = (caseId: number): string => `/responder?case=${caseId}`;
const tagOf = (caseId: number) => `case-${caseId}`;

export function offerMessage(lang: PushLanguage, o: OfferWithCase, at: number): PushMessage {
  const t = TEXTS[lang].push;
  return {
    kind: "offer",
    caseId: o.caseId,
    offerId: o.id,
    title: fill(t.offerTitle, { type: typeLabel(lang, o.case) }),
    body: fill(t.offerBody, { resident: o.case.residentName, address: o.case.address }),
    tag: tagOf(o.caseId),
    url: offerUrl(o.id),
    urgent: true,
    at: new Date(at).toISOString(),
  };
}

/** Replaces the offer's notification (same tag) with why it ended. */
export function withdrawnMessage(lang: PushLanguage, w: OfferWithdrawn, at: number): PushMessage {
  const t = TEXTS[lang];
  return {
    kind: "withdrawn",
    caseId: w.caseId,
    offerId: w.offerId,
    title: t.push.withdrawnTitle,
    body: t.withdrawn[w.reason],
    tag: tagOf(w.caseId),
    url: caseUrl(w.caseId),
    urgent: false,
    at: new Date(at).toISOString(),
  };
}

/** The job this responder had was given to someone else: they must not go. */
export function releasedMessage(lang: PushLanguage, c: CaseSummary, at: number): PushMessage {
  const t = TEXTS[lang].push;
  return {
    kind: "released",
    caseId: c.id,
    offerId: null,
    title: t.releasedTitle,
    body: fill(TEXTS[lang].responderApp.reassignedAway, {
      name: c.responderName ?? t.someoneElse,
      resident: c.residentName,
    }),
    tag: tagOf(c.id),
    url: caseUrl(c.id),
    urgent: true,
    at: new Date(at).toISOString(),
  };
}

/** The call this responder was on the way to was cancelled: no need to go. */
export function cancelledMessage(lang: PushLanguage, c: CaseSummary, at: number): PushMessage {
  const t = TEXTS[lang].push;
  return {
    kind: "cancelled",
    caseId: c.id,
    offerId: null,
    title: t.cancelledTitle,
    body: fill(TEXTS[lang].responderApp.cancelledActive, { resident: c.residentName }),
    tag: tagOf(c.id),
    url: caseUrl(c.id),
    urgent: true,
    at: new Date(at).toISOString(),
  };
}
