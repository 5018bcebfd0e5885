// Previous / next for a listing paged on the server, with "page n of m, total" between them.
import { useTranslation } from "react-i18next";

export function Pager({
  page,
  pages,
  label,
  onPage,
  testId,
}: {
  page: number;
  pages: number;
  /** "Page 2 of 9, 412 devices", in the listing's own words. */
  label: string;
  onPage: (page: number) => void;
  /** Prefix of the buttons' and label's test ids (`${testId}-prev`, `-page`, `-next`). */
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="pager">
      <button
        type="button"
        className="btn btn-secondary btn-small"
        data-testid={`${testId}-prev`}
        disabled={page <= 1}
        onClick={() => onPage(Math.max(1, page - 1))}
      >
        {t("pager.prev")}
      </button>
      <span data-testid={`${testId}-page`}>{label}</span>
      <button
        type="button"
        className="btn btn-secondary btn-small"
        data-testid={`${testId}-next`}
        disabled={page >= pages}
        onClick={() => onPage(Math.min(pages, page + 1))}
      >
        {t("pager.next")}
      </button>
    </div>
  );
}
