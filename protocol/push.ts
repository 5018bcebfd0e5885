// Web Push: what a phone (a responder's or a family member's) registers, and what its service
// worker receives (console/public/sw.js).
import { z } from "zod";
import { id, isoDate } from "./wire.ts";

/** Base64url without padding, as PushSubscription.toJSON() gives the keys. */
const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, "must be base64url");

/** The languages notifications are written in (the phone's UI language). */
export const PUSH_LANGUAGES = ["zh-CN", "en"] as const;
export type PushLanguage = (typeof PUSH_LANGUAGES)[number];

/** `POST /api/responder/push` (or `/api/family/push`): a PushSubscription's JSON, plus the language for its notifications. */
export const PushSubscriptionRequestSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(1000),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The phone's P-256 public key: 65 bytes uncompressed = 87 base64url characters. */
    p256dh: base64url(80, 100),
    /** 16 random bytes = 22 base64url characters. */
    auth: base64url(16, 32),
  }),
  lang: z.enum(PUSH_LANGUAGES).default("zh-CN"),
});
export type PushSubscriptionRequest = z.input<typeof PushSubscriptionRequestSchema>;

/** `DELETE /api/responder/push`: forget this device's subscription (logout, notifications off). */
export const PushUnsubscribeRequestSchema = z.object({ endpoint: z.url().max(1000) });

/** `GET /api/responder/push`: the VAPID public key the phone subscribes with. */
export const PushKeySchema = z.object({ publicKey: z.string() });
export type PushKey = z.infer<typeof PushKeySchema>;

/** To a responder: offer … cancelled; to a family member: `family`, a stage of their elder's case. */
export const PUSH_KINDS = ["offer", "withdrawn", "released", "cancelled", "family"] as const;

/** The decrypted payload a phone's service worker gets: ready to show as a notification. */
export const PushMessageSchema = z.object({
  kind: z.enum(PUSH_KINDS),
  caseId: id,
  offerId: id.nullable(),
  title: z.string(),
  body: z.string(),
  /** Notifications with the same tag replace each other (a withdrawal replaces its offer). */
  tag: z.string(),
  /** Where tapping the notification opens the app. */
  url: z.string(),
  /** Vibrate and keep the notification until it is tapped (offers, reassignments). */
  urgent: z.boolean(),
  at: isoDate,
});
export type PushMessage = z.infer<typeof PushMessageSchema>;
