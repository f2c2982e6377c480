import type { Output } from "./io.js";

/** ANSI styles that are the identity when colors are off. */
export interface Palette {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** Colors only on a TTY, and never with `--no-color` or a non-empty `NO_COLOR` (https://no-color.org). */
export function palette(output: Output, env: Readonly<Record<string, string | undefined>>, flag: boolean): Palette {
  const on = flag && !env.NO_COLOR && output.isTTY === true;
  const style = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { red: style(31, 39), yellow: style(33, 39), green: style(32, 39), dim: style(2, 22), bold: style(1, 22) };
}
