/**
 * AWS resource names derived from pipeline and step names.
 *
 * Batch names allow letters, digits, `-` and `_` and must start with a letter
 * or digit; other characters become `-`. A name over the limit keeps its start
 * and ends with a short hash of the whole name, so two long names stay distinct.
 */
export function awsName(parts: readonly string[], maxLength: number): string {
  const joined = parts.join("-");
  const clean = joined.replace(/[^A-Za-z0-9_-]/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  if (clean.length <= maxLength) return clean;
  const suffix = `-${fnv1a(joined)}`;
  return `${clean.slice(0, maxLength - suffix.length)}${suffix}`;
}

/** 8 hex digits of the 32-bit FNV-1a hash: short, stable, no dependency. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
