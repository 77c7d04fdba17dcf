/**
 * One line of terminal output from a message that may carry user data (a model
 * name from a record, a column name from a file): control characters — newlines,
 * ANSI escape sequences, DEL, C1 codes, line/paragraph separators — are shown
 * escaped (\n, \u001b …) so the message stays on one line and cannot drive the
 * terminal; very long messages are clipped.
 */
export const MAX_LINE_CHARS = 2000;

export function oneLine(message: string, max = MAX_LINE_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const s = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return ' ';
    return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
  });
  return s.length > max ? s.slice(0, max) + `… (${s.length - max} more characters)` : s;
}
