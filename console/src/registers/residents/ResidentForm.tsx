// Enrol a resident, or change the parts of a record the user's role may change: who and where
// (enrol), care facts (care), the paired volunteer (pairing). Checked as people type with the
// same schema the server uses; what only the server knows (a duplicate, the service area) shows
// at the field or above the form.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ResidentRecord } from "../../../../protocol/api.ts";
import { GENDERS, LIVING_SITUATIONS } from "../../../../protocol/domain.ts";
import { ResidentInputSchema } from "../../../../protocol/residents.ts";
import { errorText } from "../../i18n.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { useCan } from "../can.ts";
import { ruleText } from "../field-errors.ts";
import { Field } from "../Field.tsx";
import { registers } from "../api.ts";
import { useCommunities } from "../useCommunities.ts";
import { useForm } from "../useForm.ts";
import {
  EMPTY_CONTACT,
  GROUP_FIELDS,
  emptyResident,
  residentPatch,
  residentValues,
  toResidentInput,
  type FieldGroup,
} from "./resident-form-values.ts";

export function ResidentForm(props: {
  record?: ResidentRecord;
  onSaved: (r: ResidentRecord) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const may = useCan();
  const { record } = props;
  const groups: FieldGroup[] = record
    ? [
        ...(may("resident.enrol") ? (["identity"] as const) : []),
        ...(may("resident.care") ? (["care"] as const) : []),
        ...(may("resident.pairing") ? (["pairing"] as const) : []),
      ]
    : ["identity", "care", "pairing"];
  const editable = (field: string) =>
    groups.some((g) => (GROUP_FIELDS[g] as readonly string[]).includes(field.split(".")[0]!));
  const form = useForm(
    record ? residentValues(record) : emptyResident(),
    ResidentInputSchema,
    toResidentInput,
    editable,
  );
  const v = form.values;
  const communities = useCommunities();
  const community = communities?.communities.find((c) => String(c.id) === v.communityId);
  const volunteers = useLoad(
    community
      ? () => registers.responders({ communityId: community.id, role: "volunteer", pageSize: 100 })
      : null,
    [community?.id],
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (!form.check()) {
      setFailure(t("registers.form.fixErrors"));
      return;
    }
    setBusy(true);
    const input = toResidentInput(v);
    const save = record
      ? registers.updateResident(record.id, residentPatch(record, v, groups))
      : registers.createResident(input);
    save.then(
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

  /** A text box bound to a field; read-only when the user's role may not change it. */
  const text = (
    key: "name" | "phone" | "address" | "birthDate" | "lat" | "lng" | "keyHolder",
    type = "text",
  ) => (
    <input
      type={type}
      data-testid={`resident-${key}`}
      value={v[key]}
      disabled={!editable(key)}
      onChange={(e) => form.set(key, e.target.value)}
      onBlur={() => form.touch(key)}
      {...(type === "number" ? { step: "any" } : {})}
    />
  );

  const contacts = v.emergencyContacts;
  const setContact = (i: number, key: keyof (typeof contacts)[number], value: string) =>
    form.set(
      "emergencyContacts",
      contacts.map((c, j) => (j === i ? { ...c, [key]: value } : c)),
    );

  return (
    <form className="panel reg-page reg-form" onSubmit={submit} noValidate data-testid="resident-form">
      <div className="panel-head">
        <h2>{record ? record.name : t("registers.resident.new")}</h2>
        <button type="button" className="btn btn-ghost" onClick={props.onCancel}>
          {t("registers.form.cancel")}
        </button>
      </div>

      <fieldset className="reg-group">
        <legend>{t("registers.resident.identity")}</legend>
        <Field label={t("registers.resident.name")} error={form.error("name")}>
          {text("name")}
        </Field>
        <Field label={t("registers.resident.gender")} error={form.error("gender")}>
          <select
            data-testid="resident-gender"
            value={v.gender}
            disabled={!editable("gender")}
            onChange={(e) => form.set("gender", e.target.value as (typeof GENDERS)[number])}
          >
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`gender.${g}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("registers.resident.birthDate")} error={form.error("birthDate")}>
          {text("birthDate", "date")}
        </Field>
        <Field label={t("registers.resident.phone")} error={form.error("phone")}>
          {text("phone", "tel")}
        </Field>
        <Field label={t("registers.resident.community")} error={form.error("communityId")}>
          <select
            data-testid="resident-community"
            value={v.communityId}
            disabled={!editable("communityId")}
            onChange={(e) => {
              form.set("communityId", e.target.value);
              form.set("gridId", "");
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
        <Field label={t("registers.resident.grid")} error={form.error("gridId")}>
          <select
            data-testid="resident-grid"
            value={v.gridId}
            disabled={!editable("gridId") || !community}
            onChange={(e) => {
              form.set("gridId", e.target.value);
              form.touch("gridId");
            }}
          >
            <option value="">—</option>
            {community?.grids.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("registers.resident.address")} error={form.error("address")} wide>
          {text("address")}
        </Field>
        <Field label={t("registers.resident.lat")} error={form.error("lat")}>
          {text("lat", "number")}
        </Field>
        <Field label={t("registers.resident.lng")} error={form.error("lng")}>
          {text("lng", "number")}
        </Field>
        {community && editable("lat") && (
          <button
            type="button"
            className="btn btn-ghost btn-small reg-inline-button"
            data-testid="resident-use-centre"
            onClick={() => {
              form.set("lat", String(community.lat));
              form.set("lng", String(community.lng));
            }}
          >
            {t("registers.resident.useCommunityCentre")}
          </button>
        )}
        <Field label={t("registers.resident.livingSituation")} error={form.error("livingSituation")}>
          <select
            data-testid="resident-living"
            value={v.livingSituation}
            disabled={!editable("livingSituation")}
            onChange={(e) =>
              form.set("livingSituation", e.target.value as (typeof LIVING_SITUATIONS)[number])
            }
          >
            {LIVING_SITUATIONS.map((l) => (
              <option key={l} value={l}>
                {t(`living.${l}`)}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      <fieldset className="reg-group">
        <legend>{t("registers.resident.care")}</legend>
        <Field
          label={t("registers.resident.conditions")}
          hint={t("registers.resident.listHint")}
          error={form.error("conditions")}
          wide
        >
          <input
            data-testid="resident-conditions"
            value={v.conditions}
            disabled={!editable("conditions")}
            onChange={(e) => form.set("conditions", e.target.value)}
          />
        </Field>
        <Field
          label={t("registers.resident.medicines")}
          hint={t("registers.resident.listHint")}
          error={form.error("medicines")}
          wide
        >
          <input
            data-testid="resident-medicines"
            value={v.medicines}
            disabled={!editable("medicines")}
            onChange={(e) => form.set("medicines", e.target.value)}
          />
        </Field>
        <div className="reg-field-wide">
          <span className="reg-label">{t("registers.resident.emergencyContacts")}</span>
          {form.error("emergencyContacts") && (
            <span className="form-error" role="alert">
              {form.error("emergencyContacts")}
            </span>
          )}
          {contacts.map((c, i) => (
            <div className="reg-contact" key={i} data-testid={`contact-${i}`}>
              {(["name", "relation", "phone"] as const).map((key) => (
                <Field
                  key={key}
                  label={t(
                    `registers.resident.contact${key === "name" ? "Name" : key === "relation" ? "Relation" : "Phone"}`,
                  )}
                  error={form.error(`emergencyContacts.${i}.${key}`)}
                >
                  <input
                    data-testid={`contact-${i}-${key}`}
                    type={key === "phone" ? "tel" : "text"}
                    value={c[key]}
                    disabled={!editable("emergencyContacts")}
                    onChange={(e) => setContact(i, key, e.target.value)}
                    onBlur={() => form.touch(`emergencyContacts.${i}.${key}`)}
                  />
                </Field>
              ))}
              {editable("emergencyContacts") && contacts.length > 1 && (
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() =>
                    form.set(
                      "emergencyContacts",
                      contacts.filter((_, j) => j !== i),
                    )
                  }
                >
                  {t("registers.resident.removeContact")}
                </button>
              )}
            </div>
          ))}
          {editable("emergencyContacts") && contacts.length < 10 && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="contact-add"
              onClick={() => form.set("emergencyContacts", [...contacts, { ...EMPTY_CONTACT }])}
            >
              {t("registers.resident.addContact")}
            </button>
          )}
        </div>
        <Field label={t("registers.resident.keyHolder")} error={form.error("keyHolder")} wide>
          {text("keyHolder")}
        </Field>
      </fieldset>

      <fieldset className="reg-group">
        <legend>{t("registers.resident.pairing")}</legend>
        <Field label={t("registers.resident.pairedVolunteer")} error={form.error("pairedVolunteerId")}>
          <select
            data-testid="resident-volunteer"
            value={v.pairedVolunteerId}
            disabled={!editable("pairedVolunteerId")}
            onChange={(e) => form.set("pairedVolunteerId", e.target.value)}
          >
            <option value="">{t("registers.resident.noVolunteer")}</option>
            {record?.pairedVolunteer &&
              !volunteers.data?.items.some((r) => r.id === record.pairedVolunteer?.id) && (
                <option value={record.pairedVolunteer.id}>{record.pairedVolunteer.name}</option>
              )}
            {volunteers.data?.items.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} · {r.phone}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      {groups.length === 0 && <p className="muted">{t("registers.form.readOnly")}</p>}
      <div className="action-row">
        {failure && (
          <span className="form-error" role="alert" data-testid="resident-form-error">
            {failure}
          </span>
        )}
        {groups.length > 0 && (
          <button type="submit" className="btn btn-primary" data-testid="resident-save" disabled={busy}>
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
