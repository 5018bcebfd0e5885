// A from–to pair of day inputs, each bounding the other (the reports, the KPIs, the service log).

export function DateRange({
  from,
  to,
  onFrom,
  onTo,
  fromLabel,
  toLabel,
  testId,
}: {
  from: string;
  to: string;
  onFrom: (day: string) => void;
  onTo: (day: string) => void;
  fromLabel: string;
  toLabel: string;
  /** The inputs' test ids are `${testId}-from` and `${testId}-to`. */
  testId: string;
}) {
  return (
    <>
      <label className="field-inline">
        <span>{fromLabel}</span>
        <input
          type="date"
          data-testid={`${testId}-from`}
          value={from}
          max={to || undefined}
          onChange={(e) => onFrom(e.target.value)}
        />
      </label>
      <label className="field-inline">
        <span>{toLabel}</span>
        <input
          type="date"
          data-testid={`${testId}-to`}
          value={to}
          min={from || undefined}
          onChange={(e) => onTo(e.target.value)}
        />
      </label>
    </>
  );
}
