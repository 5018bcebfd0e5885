// A responder's page, or the enrolment of a new one: who they are, what they can do, how they
// travel, their community, the households paired with them (结对) and their phone login; the
// retirement and the change history.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ResponderCreate, ResponderPatch, ResponderRecord } from "../../../../protocol/api.ts";
import {
  RESPONDER_ROLES,
  SKILLS,
  TRANSPORT_MODES,
  type ResponderRole,
  type Skill,
  type TransportMode,
} from "../../../../protocol/domain.ts";
import { ResponderCreateSchema } from "../../../../protocol/responder-register.ts";
import { errorText } from "../../i18n.ts";
import { useAsyncAction } from "../../hooks/useAsync.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { formatTimestamp } from "../../lib/format.ts";
import { AuditHistory } from "../AuditHistory.tsx";
import { RecordPending } from "../PagedTable.tsx";
import { useCan } from "../can.ts";
import { ConfirmButton } from "../ConfirmButton.tsx";
import { Field } from "../Field.tsx";
import { ruleText } from "../field-errors.ts";
import { registers } from "../api.ts";
import { useCommunities } from "../useCommunities.ts";
import { useDebounced } from "../useDebounced.ts";
import { useForm } from "../useForm.ts";

interface Values {
  name: string;
  phone: string;
  role: ResponderRole;
  skills: Skill[];
  transport: TransportMode;
  communityId: string;
  paired: { id: number; name: string; address: string }[];
  username: string;
  password: string;
}

const valuesOf = (r: ResponderRecord | null): Values => ({
  name: r?.name ?? "",
  phone: r?.phone ?? "",
  role: r?.role ?? "volunteer",
  skills: r?.skills ?? [],
  transport: r?.transport ?? "walk",
  communityId: r ? String(r.communityId) : "",
  paired: r?.pairedResidents ?? [],
  username: "",
  password: "",
});

const toInput = (v: Values): ResponderCreate => ({
  name: v.name,
  phone: v.phone,
  role: v.role,
  skills: v.skills,
  transport: v.transport,
  communityId: v.communityId === "" ? Number.NaN : Number(v.communityId),
  pairedResidentIds: v.paired.map((p) => p.id),
  ...(v.username.trim() || v.password ? { account: { username: v.username, password: v.password } } : {}),
});

function patchOf(r: ResponderRecord, v: Values): ResponderPatch {
  const { account: _, ...before } = toInput(valuesOf(r));
  const { account: __, ...after } = toInput(v);
  const patch: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(after))
    if (JSON.stringify(val) !== JSON.stringify(before[k as keyof typeof before])) patch[k] = val;
  return patch;
}

const skillLabel = (t: (k: string) => string, s: Skill) =>
  ["first_aid", "lifting", "medical", "companionship"].includes(s)
    ? t(`registers.skill.${s}`)
    : t(`service.${s}`);

export function ResponderEditor(props: {
  id: number | null;
  onOpen: (id: number) => void;
  onBack: () => void;
}) {
  const [refresh, setRefresh] = useState(0);
  const loaded = useLoad(props.id === null ? null : () => registers.responder(props.id!), [
    props.id,
    refresh,
  ]);
  if (props.id !== null && !loaded.data) return <RecordPending error={loaded.error} onBack={props.onBack} />;
  const record = loaded.data;
  return (
    <div className="reg-record" data-testid="responder-view">
      <ResponderForm
        key={`${record?.id ?? "new"}-${refresh}`}
        record={record}
        onBack={props.onBack}
        onSaved={(r) => {
          if (props.id === null) props.onOpen(r.id);
          else setRefresh((n) => n + 1);
        }}
      />
      {record && <AuditHistory entity="responder" id={record.id} refresh={refresh} />}
    </div>
  );
}

function ResponderForm(props: {
  record: ResponderRecord | null;
  onBack: () => void;
  onSaved: (r: ResponderRecord) => void;
}) {
  const { t } = useTranslation();
  const may = useCan();
  const { record } = props;
  const communities = useCommunities();
  const form = useForm(valuesOf(record), ResponderCreateSchema, toInput);
  const v = form.values;
  const readOnly = !may("responder.manage") || record?.retiredAt != null;
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const retire = useAsyncAction(async () => props.onSaved(await registers.retireResponder(record!.id)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (!form.check()) {
      setFailure(t("registers.form.fixErrors"));
      return;
    }
    setBusy(true);
    (record
      ? registers.updateResponder(record.id, patchOf(record, v))
      : registers.createResponder(toInput(v))
    ).then(
      (saved) => {
        setBusy(false);
        props.onSaved(saved);
      },
      (err: unknown) => {
        setBusy(false);
        form.serverError(err);
        setFailure(ruleText(err) ?? errorText(err));
      },
    );
  };

  return (
    <form className="panel reg-page reg-form" onSubmit={submit} noValidate data-testid="responder-form">
      <div className="panel-head">
        <h2>{record ? record.name : t("registers.responder.new")}</h2>
        <button type="button" className="btn btn-ghost" data-testid="back-to-list" onClick={props.onBack}>
          {t("registers.list.back")}
        </button>
        {record?.retiredAt && (
          <span className="badge badge-retired">
            {t("registers.form.retiredAt", { at: formatTimestamp(record.retiredAt, Date.now()) })}
          </span>
        )}
        {record && !record.retiredAt && may("responder.manage") && (
          <ConfirmButton
            danger
            testId="responder-retire"
            question={t("registers.form.confirmRetire", { name: record.name })}
            disabled={retire.busy}
            onConfirm={() => void retire.run()}
          >
            {t("registers.form.retire")}
          </ConfirmButton>
        )}
        {retire.error && <span className="form-error">{retire.error}</span>}
      </div>
      <fieldset className="reg-group" disabled={readOnly}>
        <Field label={t("registers.responder.name")} error={form.error("name")}>
          <input
            data-testid="responder-name"
            value={v.name}
            onChange={(e) => form.set("name", e.target.value)}
            onBlur={() => form.touch("name")}
          />
        </Field>
        <Field label={t("registers.responder.phone")} error={form.error("phone")}>
          <input
            type="tel"
            data-testid="responder-phone"
            value={v.phone}
            onChange={(e) => form.set("phone", e.target.value)}
            onBlur={() => form.touch("phone")}
          />
        </Field>
        <Field label={t("registers.responder.role")} error={form.error("role")}>
          <select
            data-testid="responder-role"
            value={v.role}
            onChange={(e) => form.set("role", e.target.value as ResponderRole)}
          >
            {RESPONDER_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`responderRole.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("registers.responder.transport")} error={form.error("transport")}>
          <select
            value={v.transport}
            onChange={(e) => form.set("transport", e.target.value as TransportMode)}
          >
            {TRANSPORT_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`transport.${m}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("registers.responder.community")} error={form.error("communityId")}>
          <select
            data-testid="responder-community"
            value={v.communityId}
            onChange={(e) => {
              form.set("communityId", e.target.value);
              form.touch("communityId");
            }}
          >
            <option value="">—</option>
            {communities?.communities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <div className="reg-field-wide">
          <span className="reg-label">{t("registers.responder.skills")}</span>
          <div className="reg-checks">
            {SKILLS.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={v.skills.includes(s)}
                  onChange={(e) =>
                    form.set("skills", e.target.checked ? [...v.skills, s] : v.skills.filter((x) => x !== s))
                  }
                />
                {skillLabel(t as (k: string) => string, s)}
              </label>
            ))}
          </div>
        </div>
        <PairedHouseholds
          paired={v.paired}
          communityId={v.communityId}
          editable={may("resident.pairing") && !readOnly}
          onChange={(p) => form.set("paired", p)}
        />
        {!record && (
          <>
            <Field label={t("registers.responder.username")} error={form.error("account.username")}>
              <input
                data-testid="responder-username"
                autoComplete="off"
                value={v.username}
                onChange={(e) => form.set("username", e.target.value)}
                onBlur={() => form.touch("account")}
              />
            </Field>
            <Field label={t("registers.responder.password")} error={form.error("account.password")}>
              <input
                type="password"
                autoComplete="new-password"
                data-testid="responder-password"
                value={v.password}
                onChange={(e) => form.set("password", e.target.value)}
                onBlur={() => form.touch("account")}
              />
            </Field>
          </>
        )}
        {record && (
          <p className="muted reg-field-wide">
            {t("registers.responder.account")}:{" "}
            {record.account?.username ?? t("registers.responder.noAccount")}
          </p>
        )}
      </fieldset>
      <div className="action-row">
        {failure && (
          <span className="form-error" role="alert" data-testid="responder-form-error">
            {failure}
          </span>
        )}
        {!readOnly && (
          <button type="submit" className="btn btn-primary" data-testid="responder-save" disabled={busy}>
            {busy
              ? t("registers.form.saving")
              : record
                ? t("registers.form.save")
                : t("registers.form.create")}
          </button>
        )}
      </div>
    </form>
  );
}

/** The households paired with the responder; more are found by typing a name or phone. */
function PairedHouseholds(props: {
  paired: Values["paired"];
  communityId: string;
  editable: boolean;
  onChange: (p: Values["paired"]) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const term = useDebounced(q.trim());
  const found = useLoad(
    props.editable && term.length > 0
      ? () => registers.residents({ q: term, communityId: props.communityId, pageSize: 8 })
      : null,
    [term, props.communityId, props.editable],
  );
  return (
    <div className="reg-field-wide" data-testid="paired-households">
      <span className="reg-label">{t("registers.responder.pairedResidents")}</span>
      <ul className="reg-chips">
        {props.paired.map((p) => (
          <li key={p.id}>
            {p.name} · {p.address}
            {props.editable && (
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() => props.onChange(props.paired.filter((x) => x.id !== p.id))}
              >
                {t("registers.responder.removePaired")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {props.editable && (
        <>
          <input
            type="search"
            data-testid="paired-search"
            placeholder={t("registers.responder.pairedHint")}
            aria-label={t("registers.responder.addPaired")}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          {found.error && <span className="form-error">{found.error}</span>}
          {term.length > 0 && found.data && (
            <ul className="reg-suggestions">
              {found.data.items
                .filter((r) => !props.paired.some((p) => p.id === r.id))
                .map((r) => (
                  <li key={r.id}>
                    <button
                      type="button"
                      className="linklike"
                      onClick={() => {
                        props.onChange([...props.paired, { id: r.id, name: r.name, address: r.address }]);
                        setQ("");
                      }}
                    >
                      {r.name} · {r.phone} · {r.address}
                    </button>
                  </li>
                ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
