import { isBlankLine, textLines } from './text';

export interface StanzaLine {
  /** 1-based line number in the upload. */
  readonly line: number;
  readonly text: string;
}

/** One paragraph of a package database: the lines between blank lines. */
export interface Stanza {
  /** Line number of the first line, to name the paragraph in messages. */
  readonly line: number;
  readonly lines: readonly StanzaLine[];
}

/** Splits a dpkg status file or an apk installed database into paragraphs separated by blank lines. */
export function splitStanzas(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: StanzaLine[] = [];
  const close = () => {
    const first = current[0];
    if (first !== undefined) stanzas.push({ line: first.line, lines: current });
    current = [];
  };
  textLines(text).forEach((content, index) => {
    if (isBlankLine(content)) close();
    else current.push({ line: index + 1, text: content });
  });
  close();
  return stanzas;
}
