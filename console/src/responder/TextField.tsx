// A labelled text box on the phone (notes, the resolve note, what to tell the duty desk).
export function TextField(props: {
  label: string;
  testId: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  maxLength?: number;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <textarea
        data-testid={props.testId}
        value={props.value}
        maxLength={props.maxLength ?? 2000}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
