// Previous / next over a server-paged list, with the total.
import { useTranslation } from "react-i18next";

export function Pager(props: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav className="pager" aria-label={t("registers.list.page", { page: props.page, pages })}>
      <span className="muted" data-testid="pager-total">
        {t("registers.list.total", { count: props.total })}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        disabled={props.page <= 1}
        onClick={() => props.onPage(props.page - 1)}
      >
        {t("registers.list.prev")}
      </button>
      <span>{t("registers.list.page", { page: props.page, pages })}</span>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        disabled={props.page >= pages}
        onClick={() => props.onPage(props.page + 1)}
      >
        {t("registers.list.next")}
      </button>
    </nav>
  );
}
