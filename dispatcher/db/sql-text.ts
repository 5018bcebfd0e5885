// The lexical structure of SQL text, without parsing it: where its string literals, quoted
// identifiers, comments, `?` placeholders and `;` separators are. The PostgreSQL driver uses it to
// number placeholders, the migration translator to read the SQLite DDL statement by statement.
// Covers the SQL the port accepts: '…' literals and "…" identifiers (a doubled quote escapes
// itself), -- and /* */ comments, PostgreSQL's $tag$…$tag$ strings. Not E'…' backslash escapes,
// which portable SQL never uses.

export type TokenKind = "word" | "ident" | "string" | "number" | "param" | "punct";

export interface Token {
  kind: TokenKind;
  /** The token exactly as written, quotes included. */
  text: string;
  /** Offset of its first character in the source text. */
  start: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

function sticky(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  return re.exec(text)?.[0] ?? null;
}

/** Index just past the quote that closes the one at `at` ('' or "" inside stays inside). */
function closingQuote(text: string, at: number): number {
  const q = text[at];
  let i = at + 1;
  for (;;) {
    const j = text.indexOf(q!, i);
    if (j < 0) return text.length;
    if (text[j + 1] !== q) return j + 1;
    i = j + 2;
  }
}

/** The tokens of `sql`; whitespace and comments are dropped. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (ch === "'" || ch === '"') {
      i = closingQuote(sql, i);
      kind = ch === "'" ? "string" : "ident";
    } else if (ch === "?") {
      i++;
      kind = "param";
    } else {
      const tag = ch === "$" ? sticky(DOLLAR_TAG, sql, i) : null;
      const word = tag === null ? sticky(WORD, sql, i) : null;
      const number = tag === null && word === null ? sticky(NUMBER, sql, i) : null;
      if (tag !== null) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? sql.length : end + tag.length;
        kind = "string";
      } else if (word !== null) {
        i += word.length;
        kind = "word";
      } else if (number !== null) {
        i += number.length;
        kind = "number";
      } else {
        // `::` stays one token, so a cast reads as one operator.
        i += ch === ":" && next === ":" ? 2 : 1;
        kind = "punct";
      }
    }
    tokens.push({ kind, text: sql.slice(start, i), start });
  }
  return tokens;
}

/** The statements of a script, as token lists, split at `;` outside literals and comments. */
export function statements(sql: string): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  for (const t of tokenize(sql)) {
    if (t.kind === "punct" && t.text === ";") {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`, in order; a `?` inside a literal stays. */
export function numberPlaceholders(sql: string): string {
  let out = "";
  let from = 0;
  let n = 0;
  for (const t of tokenize(sql)) {
    if (t.kind !== "param") continue;
    out += `${sql.slice(from, t.start)}$${++n}`;
    from = t.start + 1;
  }
  return n === 0 ? sql : out + sql.slice(from);
}
