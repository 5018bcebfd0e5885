// "CSV" and "Excel": the export of what the screen shows, in the UI language.
export type ExportFormat = "csv" | "xlsx";

export function ExportButtons(props: {
  /** Test ids `<name>-csv` and `<name>-xlsx`. */
  name: string;
  disabled?: boolean;
  onExport: (format: ExportFormat) => void;
}) {
  const button = (format: ExportFormat, label: string) => (
    <button
      type="button"
      className="btn"
      data-testid={`${props.name}-${format}`}
      disabled={props.disabled}
      onClick={() => props.onExport(format)}
    >
      {label}
    </button>
  );
  return (
    <>
      {button("csv", "CSV")}
      {button("xlsx", "Excel")}
    </>
  );
}
