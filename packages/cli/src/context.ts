import type { Palette } from "./color.js";
import type { Io } from "./io.js";

/** What every command gets: where to write and how. */
export interface CommandContext {
  readonly io: Io;
  /** Styles for stdout and stderr (each stream decides on its own TTY). */
  readonly out: Palette;
  readonly err: Palette;
  /** Set by commands run with `--json`, so errors are reported as JSON too. */
  json: boolean;
}
