// A labelled form field with its inline error.
import type { ReactNode } from "react";

export function Field(props: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <label
      className={`reg-field${props.wide ? " reg-field-wide" : ""}${props.error ? " reg-field-bad" : ""}`}
    >
      <span className="reg-label">{props.label}</span>
      {props.children}
      {props.hint && !props.error && <span className="muted reg-hint">{props.hint}</span>}
      {props.error && (
        <span className="form-error" role="alert">
          {props.error}
        </span>
      )}
    </label>
  );
}
