// A button for what cannot be undone (retire, new secret): it asks first.
import type { ReactNode } from "react";

export function ConfirmButton(props: {
  question: string;
  onConfirm: () => void;
  testId: string;
  disabled?: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`btn ${props.danger ? "btn-danger" : "btn-secondary"} btn-small`}
      data-testid={props.testId}
      disabled={props.disabled}
      onClick={() => {
        if (window.confirm(props.question)) props.onConfirm();
      }}
    >
      {props.children}
    </button>
  );
}
