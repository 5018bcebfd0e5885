// The notifications line of the phone app and the family view: a button to turn them on, or what
// their state is, in the app's own words.
import type { PushApp } from "../api.ts";
import { usePush } from "./usePush.ts";

export interface PushTexts {
  enable: string;
  on: string;
  denied: string;
  unsupported: string;
}

export function PushLine({ app, texts }: { app: PushApp; texts: PushTexts }) {
  const push = usePush(app);
  if (push.state === "on")
    return (
      <p className="muted" data-testid="push-state" data-state="on">
        {texts.on}
      </p>
    );
  if (push.state === "unsupported" || push.state === "denied")
    return (
      <p className="form-error" data-testid="push-state" data-state={push.state}>
        {push.state === "denied" ? texts.denied : texts.unsupported}
      </p>
    );
  return (
    <button
      type="button"
      className="btn btn-secondary"
      data-testid="enable-push"
      data-state={push.state}
      disabled={push.state === "subscribing"}
      onClick={push.enable}
    >
      {texts.enable}
    </button>
  );
}
