/**
 * Flattens an XML document (ISMRMRD headers) into path → text pairs for the metadata browser,
 * e.g. "encoding/encodedSpace/matrixSize/x" → "640". Not a validating parser: it only has to show
 * well-formed headers readably, and ignores comments, declarations and attributes.
 */
export function xmlLeaves(xml: string, limit = 500): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|([^<]+)/g;
  let text = '';
  for (let m = token.exec(xml); m && out.length < limit; m = token.exec(xml)) {
    if (m[4] !== undefined) {
      text += m[4];
      continue;
    }
    if (!m[2]) continue; // comment or declaration
    const name = m[2].replace(/^.*:/, '');
    if (m[1]) {
      const value = text.trim();
      if (value && stack[stack.length - 1] === name) out.push({ key: stack.slice(1).join('/') || name, value: decode(value) });
      stack.pop();
    } else if (!m[3]) stack.push(name);
    text = '';
  }
  return out;
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
