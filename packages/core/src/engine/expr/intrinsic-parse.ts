import { StatesError } from "./errors.js";

/** A parsed intrinsic argument or call. */
export type IntrinsicNode =
  | { readonly kind: "call"; readonly name: string; readonly args: readonly IntrinsicNode[] }
  /** `parts` splits the literal at its unescaped `{}` (States.Format placeholders). */
  | { readonly kind: "string"; readonly value: string; readonly parts: readonly string[] }
  | { readonly kind: "literal"; readonly value: number | boolean | null }
  | { readonly kind: "path"; readonly path: string };

/** AWS allows up to 10 nested intrinsic functions in one field. */
export const MAX_NESTING = 10;

const cache = new Map<string, IntrinsicNode>();

/** Whether a `.$` value is an intrinsic function call (as opposed to a path). */
export function isIntrinsic(value: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(value);
}

/** Parses (and caches) an intrinsic invocation such as `States.Format('{}', $.a)`. */
export function parseIntrinsic(expression: string): IntrinsicNode {
  let node = cache.get(expression);
  if (node === undefined) {
    const parser = new Parser(expression);
    node = parser.parseTop();
    cache.set(expression, node);
  }
  return node;
}

function fail(expression: string, message: string): never {
  throw new StatesError("States.IntrinsicFailure", `Invalid intrinsic function '${expression}': ${message}`);
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parseTop(): IntrinsicNode {
    this.skipSpace();
    const node = this.parseCall(1);
    this.skipSpace();
    if (this.i < this.src.length)
      fail(this.src, `unexpected '${this.src.slice(this.i)}' after the closing parenthesis`);
    return node;
  }

  private skipSpace(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i] ?? "")) this.i++;
  }

  private parseCall(depth: number): IntrinsicNode {
    if (depth > MAX_NESTING) fail(this.src, `more than ${MAX_NESTING} nested intrinsic functions`);
    const match = /^States\.[A-Za-z0-9]+/.exec(this.src.slice(this.i));
    if (match === null) fail(this.src, `expected a function name at position ${this.i}`);
    const name = match[0];
    this.i += name.length;
    this.skipSpace();
    if (this.src[this.i] !== "(") fail(this.src, `expected '(' after ${name}`);
    this.i++;
    const args: IntrinsicNode[] = [];
    this.skipSpace();
    if (this.src[this.i] === ")") {
      this.i++;
      return { kind: "call", name, args };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.parseArgument(depth));
      this.skipSpace();
      const c = this.src[this.i];
      this.i++;
      if (c === ")") return { kind: "call", name, args };
      if (c !== ",")
        fail(this.src, c === undefined ? `missing ')' for ${name}` : `unexpected '${c}' in the arguments of ${name}`);
    }
  }

  private parseArgument(depth: number): IntrinsicNode {
    const c = this.src[this.i];
    if (c === "'") return this.parseString();
    if (c === "$") return { kind: "path", path: this.scanPath() };
    const rest = this.src.slice(this.i);
    if (rest.startsWith("States.")) return this.parseCall(depth + 1);
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?=\s*[,)])/.exec(rest);
    if (number !== null) {
      this.i += number[0].length;
      return { kind: "literal", value: Number(number[0]) };
    }
    const word = /^(true|false|null)(?=\s*[,)])/.exec(rest);
    if (word?.[1] !== undefined) {
      this.i += word[1].length;
      return { kind: "literal", value: word[1] === "null" ? null : word[1] === "true" };
    }
    return fail(this.src, `unexpected argument at position ${this.i}: '${rest}'`);
  }

  /** A single-quoted literal; `\'`, `\{`, `\}`, `\\` are the only escapes, as AWS documents. */
  private parseString(): IntrinsicNode {
    this.i++;
    let value = "";
    let part = "";
    const parts: string[] = [];
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) fail(this.src, "unterminated string literal");
      this.i++;
      if (c === "'") break;
      if (c === "\\") {
        const e = this.src[this.i];
        if (e !== "'" && e !== "{" && e !== "}" && e !== "\\") {
          fail(this.src, "a backslash must escape one of ' { } \\ (write \\\\ for a backslash)");
        }
        this.i++;
        value += e;
        part += e;
      } else if (c === "{" && this.src[this.i] === "}") {
        this.i++;
        value += "{}";
        parts.push(part);
        part = "";
      } else {
        value += c;
        part += c;
      }
    }
    parts.push(part);
    return { kind: "string", value, parts };
  }

  /** A path runs to the next `,` or `)` outside brackets, parentheses and quotes. */
  private scanPath(): string {
    const start = this.i;
    let brackets = 0;
    let parens = 0;
    let quote: string | undefined;
    for (; this.i < this.src.length; this.i++) {
      const c = this.src[this.i];
      if (quote !== undefined) {
        if (c === "\\") this.i++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === "[") brackets++;
      else if (c === "]") brackets--;
      else if (c === "(") parens++;
      else if (c === ")") {
        if (parens === 0 && brackets === 0) break;
        parens--;
      } else if (c === "," && brackets === 0 && parens === 0) break;
    }
    return this.src.slice(start, this.i).trim();
  }
}
