/** A copy of a record with its keys sorted, for deterministic output. */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}

/** The entries of a record sorted by key. */
export function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.keys(record)
    .sort()
    .map((key): [string, T] => [key, record[key] as T]);
}
