import { createHash, randomUUID } from "node:crypto";
import type { Nondeterminism } from "../scope.js";

/** Hash algorithms AWS accepts (States.Hash, `$hash`), mapped to node:crypto names. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

export const HASH_ALGORITHMS: readonly string[] = Object.keys(ALGORITHMS);

/** Hex digest of the UTF-8 bytes of `data`, or undefined for an unknown algorithm. */
export function hashHex(data: string, algorithm: string): string | undefined {
  const name = ALGORITHMS[algorithm];
  return name === undefined ? undefined : createHash(name).update(data, "utf8").digest("hex");
}

/** Used when the caller supplies no Nondeterminism (tests, one-off evaluation). */
export const defaultNondeterminism: Nondeterminism = {
  uuid: () => randomUUID(),
  random: () => Math.random(),
};

/**
 * java.util.Random, used for seeded random numbers: AWS's interpreter runs on the JVM, so a
 * seeded States.MathRandom is most plausibly `new Random(seed)`. (Not verified against AWS.)
 */
export class JavaRandom {
  private seed: bigint;
  private static readonly MULT = 0x5deece66dn;
  private static readonly MASK = (1n << 48n) - 1n;

  constructor(seed: number) {
    this.seed = (BigInt.asIntN(64, BigInt(Math.trunc(seed))) ^ JavaRandom.MULT) & JavaRandom.MASK;
  }

  private next(bits: number): number {
    this.seed = (this.seed * JavaRandom.MULT + 0xbn) & JavaRandom.MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  /** A uniformly distributed int in [0, bound), bound > 0 (Java's algorithm). */
  nextInt(bound: number): number {
    if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(this.next(31))) >> 31n);
    let bits: number;
    let val: number;
    do {
      bits = this.next(31);
      val = bits % bound;
    } while (bits - val + (bound - 1) > 0x7fffffff);
    return val;
  }

  /** A double in [0, 1) (Java's nextDouble). */
  nextDouble(): number {
    return (this.next(26) * 2 ** 27 + this.next(27)) * 2 ** -53;
  }
}
