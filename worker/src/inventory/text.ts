/** Helpers for untrusted text: splitting uploads into lines and quoting input back in messages. */

/** The text without a UTF-8 byte order mark, which Windows tools like to prepend. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines without their terminators (LF or CRLF); line N of the upload is element N-1. */
export function textLines(text: string): string[] {
  return withoutBom(text).split(/\r?\n/);
}

/** Blank for the formats built of paragraphs: empty or only spaces and tabs (Debian policy 5.1). */
export function isBlankLine(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

const maxQuoted = 60;

/** Input echoed in a message, JSON-quoted and shortened: it may be huge or full of control characters. */
export function quote(value: string): string {
  const short = value.length > maxQuoted ? `${value.slice(0, maxQuoted)}…` : value;
  return JSON.stringify(short);
}
