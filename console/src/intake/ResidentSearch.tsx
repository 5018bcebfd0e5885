// As-you-type search for the caller: name (or part of it), phone, address, device id, or the
// number the call came from against emergency contacts. Arrow keys move, Enter picks.
import { useEffect, useId, useState, type KeyboardEvent, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary, ResidentListItem } from "../../../protocol/api.ts";
import { useCaseTypeLabel } from "../case/labels.tsx";
import { useDebounced } from "../registers/useDebounced.ts";
import { intakeApi } from "./api.ts";

/** Short enough to feel instant while typing, long enough not to ask for every keystroke. */
const SEARCH_PAUSE_MS = 150;

export function ResidentSearch({
  inputRef,
  query,
  onQuery,
  openCaseOf,
  onPick,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  query: string;
  onQuery: (q: string) => void;
  openCaseOf: (residentId: number) => CaseSummary | undefined;
  onPick: (r: ResidentListItem) => void;
}) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const listId = useId();
  const settled = useDebounced(query.trim(), SEARCH_PAUSE_MS);
  const [results, setResults] = useState<{ q: string; items: ResidentListItem[] } | null>(null);
  const [active, setActive] = useState(0);
  /** Enter came before the answer: pick the first row of the answer to this query. */
  const [pickWhenReady, setPickWhenReady] = useState<string | null>(null);

  useEffect(() => {
    if (settled === "") return setResults(null);
    let live = true;
    intakeApi.search(settled).then(
      (page) => {
        if (!live) return;
        setResults({ q: settled, items: page.items });
        setActive(0);
      },
      () => live && setResults({ q: settled, items: [] }),
    );
    return () => {
      live = false;
    };
  }, [settled]);

  const items = results?.items ?? [];
  const searching = query.trim() !== "" && results?.q !== query.trim();
  useEffect(() => {
    if (pickWhenReady === null || results?.q !== pickWhenReady) return;
    setPickWhenReady(null);
    if (results.items[0]) onPick(results.items[0]);
  }, [results, pickWhenReady, onPick]);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault();
      setActive((i) => (i + 1) % items.length);
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault();
      setActive((i) => (i - 1 + items.length) % items.length);
    } else if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
      // Enter in the search picks; it never submits the call without a resident.
      e.preventDefault();
      if (searching) setPickWhenReady(query.trim());
      else if (items[active]) onPick(items[active]);
    }
  };

  return (
    <div className="intake-search">
      <label htmlFor={`${listId}-q`}>{t("intake.search")}</label>
      <input
        id={`${listId}-q`}
        ref={inputRef}
        type="search"
        data-testid="intake-search"
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={items[active] ? `${listId}-${items[active].id}` : undefined}
        aria-describedby={`${listId}-hint`}
        autoComplete="off"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={onKey}
      />
      <p id={`${listId}-hint`} className="muted small">
        {t("intake.searchHint")}
      </p>
      <p className="muted small" role="status" aria-live="polite" data-testid="intake-search-status">
        {searching ? t("intake.searching") : results && items.length === 0 ? t("intake.noMatch") : ""}
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label={t("intake.results")}
        className="intake-results"
        data-testid="intake-results"
        data-query={results?.q ?? ""}
      >
        {items.map((r, i) => {
          const open = openCaseOf(r.id);
          return (
            <li
              key={r.id}
              id={`${listId}-${r.id}`}
              role="option"
              aria-selected={i === active}
              data-testid={`intake-result-${r.id}`}
              className={i === active ? "active" : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(r)}
            >
              <strong>{r.name}</strong> <span className="muted">{r.communityName}</span>
              <br />
              <span className="small">
                {r.address} · {r.phone}
                {r.deviceIds.length > 0 && ` · ${r.deviceIds.join(", ")}`}
              </span>
              {open && (
                <span className="badge badge-escalated" data-testid={`intake-open-${r.id}`}>
                  {t("intake.openCase", { type: typeLabel(open), id: open.id })}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
