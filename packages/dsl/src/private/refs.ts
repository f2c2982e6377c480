import type { RefSource, RefTarget } from "@stepline/core";
import type { Ref } from "../ref.js";

/** Zod schema kept on input refs so fan-outs can build item refs from the element type. */
export const refSchema: unique symbol = Symbol("stepline.refSchema");

/** Minimal view of a zod v4 schema: only `_zod.def` is read. */
export interface ZodLike {
  readonly _zod: { readonly def: ZodDef };
}

interface ZodDef {
  readonly type: string;
  readonly shape?: Readonly<Record<string, ZodLike>>;
  readonly innerType?: ZodLike;
  readonly element?: ZodLike;
}

/** Properties of `Object.prototype` and protocol hooks that are never field names. */
const reserved = new Set<string | symbol>(["then", "toJSON", "asymmetricMatch", "$$typeof", "nodeType"]);

export function target(source: RefSource, path: readonly string[], step?: string): RefTarget {
  return step === undefined ? { source, path } : { source, step, path };
}

/** Unwraps optional, nullable, default and similar wrappers to the schema inside. */
export function unwrapSchema(schema: ZodLike): ZodLike {
  let current = schema;
  for (let i = 0; i < 32; i++) {
    const inner = current._zod.def.innerType;
    if (inner === undefined) return current;
    current = inner;
  }
  return current;
}

/**
 * Builds the references for `where`. With a zod schema, object schemas get one
 * nested (non-enumerable) reference per field, so the ref itself serialises to
 * exactly `{ $ref }`. Without one (lambda payloads, fan-out items from a step
 * result), nested references are created on access by a proxy.
 */
export function makeRefs(where: RefTarget, schema?: ZodLike): Ref<unknown> {
  if (schema === undefined) return lazyRefs(where);
  const ref: Ref<unknown> = { $ref: where };
  Object.defineProperty(ref, refSchema, { value: schema, enumerable: false });
  const inner = unwrapSchema(schema)._zod.def;
  if (inner.type === "object" && inner.shape !== undefined) {
    for (const [key, field] of Object.entries(inner.shape)) {
      const child = makeRefs({ ...where, path: [...where.path, key] }, field);
      Object.defineProperty(ref, key, { value: child, enumerable: false });
    }
  }
  return Object.freeze(ref);
}

function lazyRefs(where: RefTarget): Ref<unknown> {
  const base: Ref<unknown> = Object.freeze({ $ref: where });
  const children = new Map<string, Ref<unknown>>();
  return new Proxy(base, {
    get(object, key, receiver) {
      if (typeof key !== "string" || key in object || reserved.has(key)) {
        return Reflect.get(object, key, receiver);
      }
      let child = children.get(key);
      if (child === undefined) {
        child = lazyRefs({ ...where, path: [...where.path, key] });
        children.set(key, child);
      }
      return child;
    },
  });
}

/** The zod schema of the elements of an array reference, when known. */
export function elementSchema(ref: Ref<unknown>): ZodLike | undefined {
  const schema = (ref as { [refSchema]?: ZodLike })[refSchema];
  if (schema === undefined) return undefined;
  const def = unwrapSchema(schema)._zod.def;
  return def.type === "array" ? def.element : undefined;
}

/** A plain reference with no nested fields. */
export function leafRef<T>(where: RefTarget): Ref<T> {
  return Object.freeze({ $ref: where });
}

/** A plain reference to a field of a step's result. */
export function resultRef<T>(step: string, field: string): Ref<T> {
  return leafRef<T>(target("step", [field], step));
}
