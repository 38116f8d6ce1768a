/**
 * Error messages quote what a file says (a dtype, a magic string, a UID, a dataset name); from a damaged
 * file that can be any bytes. These keep a message on one readable line.
 */

/** `text` with control characters (newlines included) shown as '?', and cut to `max` characters. */
export function printable(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** The same Error, or a copy whose message is made one line (the type kept for a RangeError). */
export function oneLineError(e: Error): Error {
  const clean = printable(e.message, 1000);
  if (clean === e.message) return e;
  return e instanceof RangeError ? new RangeError(clean) : new Error(clean);
}
