// One staff account: create it, or change its name, role, communities and disabled flag; reset
// its password; its change history.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { UserCreate, UserPatch, UserRecord } from "../../../../protocol/api.ts";
import { STAFF_ROLES, type StaffRole } from "../../../../protocol/domain.ts";
import { PasswordSchema, UserCreateSchema } from "../../../../protocol/users.ts";
import { errorText } from "../../i18n.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { useSession } from "../../session.ts";
import { AuditHistory } from "../AuditHistory.tsx";
import { RecordPending } from "../PagedTable.tsx";
import { Field } from "../Field.tsx";
import { ruleText, validate } from "../field-errors.ts";
import { registers } from "../api.ts";
import { useCommunities } from "../useCommunities.ts";
import { useForm } from "../useForm.ts";

interface Values {
  username: string;
  displayName: string;
  role: StaffRole;
  /** null: every community. */
  communityIds: number[] | null;
  password: string;
}

const valuesOf = (u: UserRecord | null): Values => ({
  username: u?.username ?? "",
  displayName: u?.displayName ?? "",
  role: u && (STAFF_ROLES as readonly string[]).includes(u.role) ? (u.role as StaffRole) : "dispatcher",
  communityIds: u?.communityIds ?? null,
  password: "",
});

/** An admin always sees every community. */
const toInput = (v: Values): UserCreate => ({
  username: v.username,
  displayName: v.displayName,
  role: v.role,
  password: v.password,
  communityIds: v.role === "admin" ? null : v.communityIds,
});

export function UserEditor(props: { id: number | null; onOpen: (id: number) => void; onBack: () => void }) {
  const [refresh, setRefresh] = useState(0);
  const loaded = useLoad(props.id === null ? null : () => registers.user(props.id!), [props.id, refresh]);
  if (props.id !== null && !loaded.data) return <RecordPending error={loaded.error} onBack={props.onBack} />;
  const record = loaded.data;
  return (
    <div className="reg-record" data-testid="user-view">
      <UserForm
        key={`${record?.id ?? "new"}-${refresh}`}
        record={record}
        onBack={props.onBack}
        onSaved={(u) => (props.id === null ? props.onOpen(u.id) : setRefresh((n) => n + 1))}
      />
      {record && <ResetPassword user={record} onDone={() => setRefresh((n) => n + 1)} />}
      {record && <AuditHistory entity="user" id={record.id} refresh={refresh} />}
    </div>
  );
}

function UserForm(props: {
  record: UserRecord | null;
  onBack: () => void;
  onSaved: (u: UserRecord) => void;
}) {
  const { t } = useTranslation();
  const me = useSession()?.user.id;
  const { record } = props;
  const communities = useCommunities();
  // An existing account is checked without a password: that is set apart.
  const relevant = (path: string) => record === null || path !== "password";
  const form = useForm(valuesOf(record), UserCreateSchema, toInput, relevant);
  const v = form.values;
  const responderLogin = record?.role === "responder";
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const save = (patch?: UserPatch) => {
    setFailure(null);
    setBusy(true);
    const work = record
      ? registers.updateUser(record.id, patch ?? changes(record, v))
      : registers.createUser(toInput(v));
    work.then(
      (u) => {
        setBusy(false);
        props.onSaved(u);
      },
      (err: unknown) => {
        setBusy(false);
        form.serverError(err);
        setFailure(ruleText(err) ?? errorText(err));
      },
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check()) {
      setFailure(t("registers.form.fixErrors"));
      return;
    }
    save();
  };
  const all = v.communityIds === null;

  return (
    <form className="panel reg-page reg-form" onSubmit={submit} noValidate data-testid="user-form">
      <div className="panel-head">
        <h2>
          {record ? record.username : t("registers.user.new")}
          {record?.id === me ? t("registers.user.me") : ""}
        </h2>
        <button type="button" className="btn btn-ghost" data-testid="back-to-list" onClick={props.onBack}>
          {t("registers.list.back")}
        </button>
        {record && (
          <button
            type="button"
            className={`btn btn-small ${record.disabled ? "btn-secondary" : "btn-danger"}`}
            data-testid="user-toggle-disabled"
            disabled={busy}
            onClick={() => save({ disabled: !record.disabled })}
          >
            {record.disabled ? t("registers.user.enable") : t("registers.user.disable")}
          </button>
        )}
        {record && (
          <span className="muted" data-testid="user-status">
            {record.disabled ? t("registers.user.disabled") : t("registers.user.enabled")}
          </span>
        )}
      </div>
      <fieldset className="reg-group">
        {!record && (
          <Field label={t("registers.user.username")} error={form.error("username")}>
            <input
              data-testid="user-username"
              autoComplete="off"
              value={v.username}
              onChange={(e) => form.set("username", e.target.value)}
              onBlur={() => form.touch("username")}
            />
          </Field>
        )}
        <Field label={t("registers.user.displayName")} error={form.error("displayName")}>
          <input
            data-testid="user-display-name"
            value={v.displayName}
            onChange={(e) => form.set("displayName", e.target.value)}
            onBlur={() => form.touch("displayName")}
          />
        </Field>
        {!responderLogin && (
          <Field label={t("registers.user.role")} error={form.error("role")}>
            <select
              data-testid="user-role"
              value={v.role}
              onChange={(e) => form.set("role", e.target.value as StaffRole)}
            >
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </Field>
        )}
        {!record && (
          <Field label={t("registers.user.password")} error={form.error("password")}>
            <input
              type="password"
              autoComplete="new-password"
              data-testid="user-password"
              value={v.password}
              onChange={(e) => form.set("password", e.target.value)}
              onBlur={() => form.touch("password")}
            />
          </Field>
        )}
        {!responderLogin && v.role !== "admin" && (
          <div className="reg-field-wide" data-testid="user-communities">
            <span className="reg-label">{t("registers.user.communities")}</span>
            {form.error("communityIds") && <span className="form-error">{form.error("communityIds")}</span>}
            <div className="reg-checks">
              <label>
                <input
                  type="checkbox"
                  data-testid="user-all-communities"
                  checked={all}
                  onChange={(e) => form.set("communityIds", e.target.checked ? null : [])}
                />
                {t("registers.user.allCommunities")}
              </label>
              {!all &&
                communities?.communities.map((c) => (
                  <label key={c.id}>
                    <input
                      type="checkbox"
                      data-testid={`user-community-${c.id}`}
                      checked={v.communityIds?.includes(c.id) ?? false}
                      onChange={(e) => {
                        const ids = v.communityIds ?? [];
                        form.set(
                          "communityIds",
                          e.target.checked ? [...ids, c.id] : ids.filter((x) => x !== c.id),
                        );
                        form.touch("communityIds");
                      }}
                    />
                    {c.name}
                  </label>
                ))}
            </div>
          </div>
        )}
      </fieldset>
      <div className="action-row">
        {failure && (
          <span className="form-error" role="alert" data-testid="user-form-error">
            {failure}
          </span>
        )}
        <button type="submit" className="btn btn-primary" data-testid="user-save" disabled={busy}>
          {busy ? t("registers.form.saving") : record ? t("registers.form.save") : t("registers.form.create")}
        </button>
      </div>
    </form>
  );
}

function changes(record: UserRecord, v: Values): UserPatch {
  const after = toInput(v);
  const patch: UserPatch = {};
  if (after.displayName !== record.displayName) patch.displayName = after.displayName;
  if (record.role !== "responder") {
    if (after.role !== record.role) patch.role = after.role;
    if (JSON.stringify(after.communityIds) !== JSON.stringify(record.communityIds))
      patch.communityIds = after.communityIds;
  }
  return patch;
}

/** An admin sets a new password; every session of that user ends. */
function ResetPassword({ user, onDone }: { user: UserRecord; onDone: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({
    busy: false,
    error: null,
    done: false,
  });
  const invalid = password === "" ? undefined : validate(PasswordSchema, password)[""];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password === "" || invalid) return;
    setState({ busy: true, error: null, done: false });
    registers.setPassword(user.id, { password }).then(
      () => {
        setPassword("");
        setState({ busy: false, error: null, done: true });
        onDone();
      },
      (err: unknown) => setState({ busy: false, error: errorText(err), done: false }),
    );
  };
  return (
    <form
      className="panel reg-page reg-inline-form"
      onSubmit={submit}
      aria-label={t("registers.user.resetPassword")}
    >
      <Field label={t("registers.user.newPassword")} error={invalid ?? state.error ?? undefined}>
        <input
          type="password"
          autoComplete="new-password"
          data-testid="user-new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <button
        type="submit"
        className="btn btn-secondary"
        data-testid="user-reset-password"
        disabled={state.busy}
      >
        {t("registers.user.resetPassword")}
      </button>
      {state.done && <span className="ok-text">{t("registers.user.passwordChanged")}</span>}
    </form>
  );
}
