// The "新来电" panel: while the caller talks, staff find the resident (or pick the place on the
// map), choose what happened and who is calling, type what was said and submit — all from the
// keyboard. The resident's open case is shown first: a second call joins it instead of opening one.
import {
  lazy,
  Suspense,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from "react";
import { useTranslation } from "react-i18next";
import type { Communities, IntakeRequest, IntakeResult, ResidentListItem } from "../../../protocol/api.ts";
import {
  CALLER_RELATIONS,
  CASE_KIND_OF,
  DEFAULT_PRIORITY,
  INTAKE_CASE_TYPES,
  PRIORITIES,
  SERVICE_KINDS,
  isActiveStatus,
  type CallerRelation,
  type IntakeCaseType,
  type Priority,
  type ServiceKind,
} from "../../../protocol/domain.ts";
import { INTAKE_NOTES_MAX } from "../../../protocol/intake.ts";
import { normalizePhone } from "../../../protocol/phone.ts";
import { ApiError } from "../api.ts";
import { useCaseTypeLabel } from "../case/labels.tsx";
import { registers } from "../registers/api.ts";
import { useStore } from "../store.ts";
import { intakeApi } from "./api.ts";
import { intakeFieldErrors } from "./field-errors.ts";
import type { Point } from "./PlacePicker.tsx";
import { ResidentSearch } from "./ResidentSearch.tsx";
import "./intake.css";

const PlacePicker = lazy(() => import("./PlacePicker.tsx"));

/** Typed into the search, a number is most likely the caller's own: it fills the caller's phone. */
const looksLikePhone = (q: string) => normalizePhone(q) !== null;

export function IntakePanel({ onDone, onClose }: { onDone: (r: IntakeResult) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const id = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const typeRef = useRef<HTMLFieldSetElement>(null);
  const addressRef = useRef<HTMLInputElement>(null);
  const cases = useStore((s) => s.cases);

  const [query, setQuery] = useState("");
  const [resident, setResident] = useState<ResidentListItem | null>(null);
  const [unregistered, setUnregistered] = useState(false);
  const [communities, setCommunities] = useState<Communities | null>(null);
  const [place, setPlace] = useState<Point | null>(null);
  const [address, setAddress] = useState("");
  const [name, setName] = useState("");
  const [type, setType] = useState<IntakeCaseType>("sos");
  const [service, setService] = useState<ServiceKind>("meal");
  const [priority, setPriority] = useState<Priority | "">("");
  const [relation, setRelation] = useState<CallerRelation>("resident");
  const [phone, setPhone] = useState("");
  const [callerName, setCallerName] = useState("");
  const [notes, setNotes] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => searchRef.current?.focus(), []);
  // Focus moves in the same commit that swaps the search for the picked resident: a key typed
  // right after Enter ("2" = fall) must land in the panel, not on the page body in between.
  const [focusNext, setFocusNext] = useState<"type" | "address" | null>(null);
  useLayoutEffect(() => {
    if (focusNext === "type") typeRef.current?.querySelector<HTMLInputElement>("input:checked")?.focus();
    else if (focusNext === "address") addressRef.current?.focus();
    if (focusNext !== null) setFocusNext(null);
  }, [focusNext]);
  useEffect(() => {
    if (unregistered && !communities) void registers.communities().then(setCommunities, () => undefined);
  }, [unregistered, communities]);

  const openCaseOf = (residentId: number, kind?: string) =>
    [...cases.values()]
      .filter(
        (c) =>
          c.residentId === residentId && isActiveStatus(c.status) && (kind === undefined || c.kind === kind),
      )
      .sort((a, b) => b.id - a.id)[0];
  const joins = resident ? openCaseOf(resident.id, CASE_KIND_OF[type]) : undefined;

  const pick = (r: ResidentListItem) => {
    setResident(r);
    setUnregistered(false);
    const q = query.trim();
    // Found by a number that is not the resident's own: someone else is calling from it.
    if (looksLikePhone(q) && normalizePhone(q) !== normalizePhone(r.phone)) {
      setRelation("relative");
      setPhone(q);
    } else if (relation === "resident") {
      setPhone(r.phone);
    }
    // Next: what happened.
    setFocusNext("type");
  };

  const chooseMap = () => {
    setResident(null);
    setUnregistered(true);
    if (looksLikePhone(query.trim())) setPhone(query.trim());
    setFocusNext("address");
  };

  const body = (): IntakeRequest | null => {
    const common = {
      type,
      ...(type === "service_request" ? { service } : {}),
      ...(priority === "" ? {} : { priority }),
      caller: { relation, phone, ...(callerName.trim() ? { name: callerName.trim() } : {}) },
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    };
    if (resident) return { residentId: resident.id, ...common };
    if (!unregistered) return null;
    return {
      ...(place ? { location: place } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...common,
    };
  };

  const submit = async () => {
    if (busy) return;
    const b = body();
    if (!b) {
      setErrors({ location: t("intake.rule.resident_or_location") });
      searchRef.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onDone(await intakeApi.take(b));
    } catch (err) {
      const fields = intakeFieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFailure(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onClose();
    } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    } else if (/^[1-7]$/.test(e.key) && !isTextField(e.target)) {
      const chosen = INTAKE_CASE_TYPES[Number(e.key) - 1];
      if (chosen) {
        e.preventDefault();
        setType(chosen);
        typeRef.current?.querySelector<HTMLInputElement>(`input[value="${chosen}"]`)?.focus();
      }
    }
  };

  const err = (field: string) =>
    errors[field] ? (
      <span className="field-error" id={`${id}-${field}-err`} role="alert">
        {errors[field]}
      </span>
    ) : null;
  const described = (field: string) => (errors[field] ? `${id}-${field}-err` : undefined);

  return (
    <div className="intake-backdrop">
      <div
        className="intake-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="intake-panel"
        onKeyDown={onKeyDown}
      >
        <header className="drawer-head">
          <h2 id={`${id}-title`}>{t("intake.title")}</h2>
          <button type="button" className="btn btn-ghost" aria-label={t("intake.close")} onClick={onClose}>
            ✕
          </button>
        </header>
        <form
          className="intake-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {resident ? (
            <section className="intake-picked" data-testid="intake-picked" aria-live="polite">
              <p>
                <strong>{resident.name}</strong> · {resident.communityName} · {resident.address} ·{" "}
                {resident.phone}
              </p>
              <button type="button" className="btn btn-small btn-secondary" onClick={() => setResident(null)}>
                {t("intake.change")}
              </button>
            </section>
          ) : (
            <>
              <ResidentSearch
                inputRef={searchRef}
                query={query}
                onQuery={setQuery}
                openCaseOf={(rid) => openCaseOf(rid)}
                onPick={pick}
              />
              <button
                type="button"
                className="btn btn-small btn-secondary"
                aria-pressed={unregistered}
                data-testid="intake-unregistered"
                onClick={chooseMap}
              >
                {t("intake.notInRegister")}
              </button>
              {err("location")}
            </>
          )}
          {joins && (
            <p className="intake-join" role="status" data-testid="intake-join">
              {t("intake.willJoin", { type: typeLabel(joins), id: joins.id })}
            </p>
          )}

          {unregistered && !resident && (
            <fieldset className="intake-place">
              <legend>{t("intake.place")}</legend>
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <PlacePicker communities={communities?.communities ?? []} value={place} onPick={setPlace} />
              </Suspense>
              <p className="muted small" data-testid="intake-place">
                {place
                  ? t("intake.placePicked", { lat: place.lat.toFixed(5), lng: place.lng.toFixed(5) })
                  : t("intake.placeHint")}
              </p>
              <label htmlFor={`${id}-address`}>{t("intake.address")}</label>
              <input
                id={`${id}-address`}
                ref={addressRef}
                data-testid="intake-address"
                maxLength={200}
                value={address}
                aria-invalid={Boolean(errors.address)}
                aria-describedby={described("address")}
                onChange={(e) => setAddress(e.target.value)}
              />
              {err("address")}
              <label htmlFor={`${id}-name`}>{t("intake.name")}</label>
              <input
                id={`${id}-name`}
                maxLength={40}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </fieldset>
          )}

          <fieldset className="intake-types" ref={typeRef} data-testid="intake-types">
            <legend>
              {t("intake.type")} <span className="muted small">{t("intake.typeHint")}</span>
            </legend>
            {INTAKE_CASE_TYPES.map((ty, i) => (
              <label key={ty} className="intake-type">
                <input
                  type="radio"
                  name={`${id}-type`}
                  value={ty}
                  checked={type === ty}
                  onChange={() => setType(ty)}
                />
                <kbd>{i + 1}</kbd> {t(`caseType.${ty}`)}
              </label>
            ))}
            {err("type")}
          </fieldset>
          <div className="intake-row">
            {type === "service_request" && (
              <label>
                {t("intake.service")}
                <select value={service} onChange={(e) => setService(e.target.value as ServiceKind)}>
                  {SERVICE_KINDS.map((s) => (
                    <option key={s} value={s}>
                      {t(`service.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              {t("intake.priority")}
              <select
                data-testid="intake-priority"
                value={priority}
                onChange={(e) =>
                  setPriority(e.target.value === "" ? "" : (Number(e.target.value) as Priority))
                }
              >
                <option value="">
                  {t("intake.priorityDefault", { priority: t(`priority.${DEFAULT_PRIORITY[type]}`) })}
                </option>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`priority.${p}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>

          <fieldset className="intake-caller">
            <legend>{t("intake.caller")}</legend>
            <div className="intake-row">
              <label>
                {t("intake.relation")}
                <select
                  data-testid="intake-relation"
                  value={relation}
                  onChange={(e) => {
                    const next = e.target.value as CallerRelation;
                    setRelation(next);
                    if (next === "resident" && resident && phone === "") setPhone(resident.phone);
                  }}
                >
                  {CALLER_RELATIONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`intake.callerRelation.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("intake.callerPhone")}
                <input
                  type="tel"
                  data-testid="intake-phone"
                  value={phone}
                  aria-invalid={Boolean(errors["caller.phone"])}
                  aria-describedby={described("caller.phone")}
                  onChange={(e) => setPhone(e.target.value)}
                />
                {err("caller.phone")}
              </label>
              <label>
                {t("intake.callerName")}
                <input maxLength={40} value={callerName} onChange={(e) => setCallerName(e.target.value)} />
              </label>
            </div>
          </fieldset>

          <label htmlFor={`${id}-notes`}>{t("intake.notes")}</label>
          <textarea
            id={`${id}-notes`}
            data-testid="intake-notes"
            rows={3}
            maxLength={INTAKE_NOTES_MAX}
            value={notes}
            aria-invalid={Boolean(errors.notes)}
            aria-describedby={described("notes")}
            onChange={(e) => setNotes(e.target.value)}
          />
          <span className="muted small">
            {t("intake.notesCount", { count: notes.length, max: INTAKE_NOTES_MAX })}
          </span>
          {err("notes")}

          {failure && (
            <p className="form-error" role="alert">
              {t("intake.failed", { message: failure })}
            </p>
          )}
          <footer className="intake-actions">
            <span className="muted small">{t("intake.submitHint")}</span>
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="intake-submit">
              {joins ? t("intake.submitJoin") : t("intake.submit")}
            </button>
          </footer>
        </form>
      </div>
    </div>
  );
}

function isTextField(target: EventTarget): boolean {
  return (
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && target.type !== "radio")
  );
}
