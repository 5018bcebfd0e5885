// Formatting helpers for durations, distances, times and percentages. Pure and locale-free
// (numbers and clock times read the same in Chinese and English).

/** 45 → "0:45", 725 → "12:05", 3723 → "1:02:03". Negative values count as 0. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** 850 → "850 m", 1234 → "1.2 km", 15000 → "15 km". */
export function formatDistance(meters: number): string {
  if (!Number.isFinite(meters) || meters < 0) return "—";
  if (meters < 1000) return `${Math.round(meters)} m`;
  const km = meters / 1000;
  return `${km < 10 ? km.toFixed(1) : Math.round(km)} km`;
}

/** ETA in whole minutes, at least 1: 30 → "1 min", 410 → "7 min". */
export function formatEtaMinutes(seconds: number): string {
  return `${Math.max(1, Math.round(seconds / 60))} min`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Local wall-clock time to the second; the date is added when it is not the day of `nowMs`. */
export function formatTimestamp(iso: string, nowMs: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  const now = new Date(nowMs);
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${time}`;
}

/** 93.456 → "93.5%", null → "—". */
export function formatPercent(pct: number | null): string {
  return pct === null || !Number.isFinite(pct) ? "—" : `${Math.round(pct * 10) / 10}%`;
}

/** A local calendar day as the value of an <input type="date">. */
export function toDateInput(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/**
 * Turns two <input type="date"> values (local days, inclusive) into the ISO instants the KPI
 * endpoints expect: from local midnight of `from` to local midnight after `to`.
 */
export function dayRange(from: string, to: string): { from: string; to: string } | null {
  const parse = (v: string): Date | null => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return null;
    const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const a = parse(from);
  const b = parse(to);
  if (!a || !b || b < a) return null;
  const end = new Date(b.getFullYear(), b.getMonth(), b.getDate() + 1);
  return { from: a.toISOString(), to: end.toISOString() };
}

/** Battery and signal are percentages; null means never reported. */
export function formatLevel(pct: number | null): string {
  return pct === null ? "—" : `${pct}%`;
}

/** A `tel:` link for a phone number as people write it ("029-8888 1234" → "tel:02988881234"). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}
