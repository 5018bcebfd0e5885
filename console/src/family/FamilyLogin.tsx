// Family sign-in on the phone: the mobile number staff invited, and the one-time code sent to it
// (or read out by staff on the phone).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api.ts";
import { navigate } from "../router.ts";
import { session } from "../session.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { LangSwitch } from "../shell/LangSwitch.tsx";
import { familyApi } from "./api.ts";

export function FamilyLogin() {
  const { t } = useTranslation();
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState(false);
  const ask = useAsyncAction(async () => {
    await familyApi.requestCode(phone.trim());
    setSent(true);
  });
  const signIn = useAsyncAction(async () => {
    const res = await familyApi.login(phone.trim(), code.trim()).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401)
        throw new ApiError(401, "bad_credentials", err.message);
      throw err;
    });
    session.set({ token: res.token, user: res.user });
    navigate("/family", true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!signIn.busy) void signIn.run();
  };
  return (
    <main className="login family">
      <form className="login-card" onSubmit={submit} aria-labelledby="family-login-title">
        <div className="login-head">
          <h1 id="family-login-title">{t("familyApp.signInTitle")}</h1>
          <LangSwitch />
        </div>
        <label className="field">
          <span>{t("familyApp.phone")}</span>
          <input
            data-testid="family-phone"
            inputMode="tel"
            autoComplete="tel"
            required
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="btn"
          data-testid="family-send-code"
          disabled={ask.busy || phone.trim() === ""}
          onClick={() => void ask.run()}
        >
          {t("familyApp.sendCode")}
        </button>
        {sent && <p className="muted">{t("familyApp.codeSent")}</p>}
        {ask.error && <p className="form-error">{ask.error}</p>}
        <label className="field">
          <span>{t("familyApp.code")}</span>
          <input
            data-testid="family-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        {signIn.error && (
          <p className="form-error" role="alert" data-testid="family-login-error">
            {signIn.error}
          </p>
        )}
        <button
          className="btn btn-primary btn-big"
          type="submit"
          data-testid="family-sign-in"
          disabled={signIn.busy}
        >
          {t("familyApp.signIn")}
        </button>
      </form>
    </main>
  );
}
