/** Quoting values in error messages. */

/**
 * A value made safe to quote in an error message: at most 64 characters (then `…`), control characters as `?`, so a
 * hostile parameter name or value can neither flood a message nor break the line it is logged on.
 */
export function printable(text: string): string {
  const short = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return short.replace(/[\u0000-\u001f\u007f]/g, "?");
}
