// Picks one record for a filter by typing part of its name or phone: the matches appear under the
// box once people pause; a pick shows as a chip that clears back to "any".
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLoad } from "../hooks/useLoad.ts";
import { useDebounced } from "../registers/useDebounced.ts";

export interface Pickable {
  id: number;
  name: string;
  /** A second line: community, address, phone. */
  detail: string;
}

export function SearchPick(props: {
  /** Test ids `<testId>`, `<testId>-result-<id>`, `<testId>-picked`, `<testId>-clear`. */
  testId: string;
  label: string;
  placeholder: string;
  picked: Pickable | null;
  search: (q: string) => Promise<Pickable[]>;
  onPick: (p: Pickable | null) => void;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const [q, setQ] = useState("");
  const term = useDebounced(q.trim());
  const found = useLoad(term && !props.picked ? () => props.search(term) : null, [term, props.picked]);
  if (props.picked) {
    return (
      <span className="care-chip" data-testid={`${props.testId}-picked`}>
        {props.label}: {props.picked.name}
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid={`${props.testId}-clear`}
          aria-label={`${t("care.log.clear")} ${props.label}`}
          onClick={() => {
            setQ("");
            props.onPick(null);
          }}
        >
          ×
        </button>
      </span>
    );
  }
  const items = term ? (found.data ?? []) : [];
  return (
    <span className="care-pick">
      <input
        type="search"
        data-testid={props.testId}
        aria-label={props.label}
        aria-controls={listId}
        autoComplete="off"
        placeholder={props.placeholder}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {items.length > 0 && (
        <ul id={listId} className="care-pick-results" aria-label={props.label}>
          {items.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="linklike"
                data-testid={`${props.testId}-result-${p.id}`}
                onClick={() => props.onPick(p)}
              >
                <strong>{p.name}</strong> <span className="muted small">{p.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
