/**
 * `{ [key]: value }` when the value is defined, `{}` otherwise; spread it into
 * a model so absent options leave no `undefined` key behind.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
