// What every register list shows under its filters: the load's error, "nothing matches", one
// server page of rows, and the pager; and what a record's page shows while it loads.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Page } from "../../../protocol/api.ts";
import { Pager } from "./Pager.tsx";

export function PagedTable<T>(props: {
  data: Page<T> | null;
  error: string | null;
  testId: string;
  /** The header cells. */
  head: ReactNode;
  row: (item: T) => ReactNode;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation();
  const { data } = props;
  return (
    <>
      {props.error && (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      )}
      {data && data.items.length === 0 && <p className="muted">{t("registers.list.empty")}</p>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid={props.testId}>
            <thead>
              <tr>{props.head}</tr>
            </thead>
            <tbody>{data.items.map(props.row)}</tbody>
          </table>
        </div>
      )}
      {data && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={props.onPage} />}
    </>
  );
}

/** A row's "open" button. */
export function OpenButton({ testId, onOpen }: { testId: string; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="btn btn-ghost btn-small" data-testid={testId} onClick={onOpen}>
      {t("registers.list.open")}
    </button>
  );
}

/** A record's page before its record arrives: the way back, and the wait or the failure. */
export function RecordPending({ error, onBack }: { error: string | null; onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="panel reg-page">
      <button type="button" className="btn btn-ghost" onClick={onBack}>
        {t("registers.list.back")}
      </button>
      {error ? <p className="form-error">{error}</p> : <p className="muted">{t("common.loading")}</p>}
    </section>
  );
}
