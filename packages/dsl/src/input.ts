import type { InputModel, JsonValue } from "@stepline/core";
import { SteplineError } from "@stepline/core";
import { z } from "zod";
import { makeRefs, target, type ZodLike } from "./private/refs.js";
import type { Refs } from "./ref.js";

/** The pipeline input schema: a zod object. */
export type InputSchema = z.ZodObject;

/** References to the pipeline input (after defaults), one per field, nested for objects. */
export type InputRefs<S extends InputSchema> = Refs<z.output<S>>;

type JsonType = InputModel["types"][string];
const jsonTypes: ReadonlySet<string> = new Set(["string", "number", "boolean", "array", "object"]);

/** Builds the input references from the schema's shape. */
export function inputRefs<S extends InputSchema>(schema: S): InputRefs<S> {
  return makeRefs(target("input", []), schema as unknown as ZodLike) as InputRefs<S>;
}

/**
 * Derives core's `InputModel` from a zod object: the JSON Schema of what a run
 * may be started with, top-level defaults, required fields and JSON types.
 * Without a schema the input is any object.
 */
export function inputModel(schema: InputSchema | undefined): InputModel {
  if (schema === undefined) return { schema: { type: "object" }, defaults: {}, required: [], types: {} };
  if (!(schema instanceof z.ZodObject)) {
    throw SteplineError.of(
      "SL_DSL_INPUT_SCHEMA",
      "The pipeline input must be a zod object schema.",
      "Describe the input as z.object({ date: z.string(), … }) from the zod package (v4).",
      { field: "input" },
    );
  }
  const json = jsonSchema(schema);
  const properties = isObject(json.properties) ? json.properties : {};
  const defaults: Record<string, JsonValue> = {};
  const types: Record<string, JsonType> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (!isObject(property)) continue;
    if (property.default !== undefined) defaults[key] = property.default;
    const type = property.type === "integer" ? "number" : property.type;
    if (typeof type === "string" && jsonTypes.has(type)) types[key] = type as JsonType;
  }
  const required = Array.isArray(json.required) ? json.required.filter((key) => typeof key === "string") : [];
  return { schema: json, defaults, required, types };
}

function jsonSchema(schema: InputSchema): { [key: string]: JsonValue } {
  try {
    // Round-trip through JSON so the model holds plain data only.
    return JSON.parse(JSON.stringify(z.toJSONSchema(schema, { io: "input" }))) as { [key: string]: JsonValue };
  } catch (error) {
    throw SteplineError.of(
      "SL_DSL_INPUT_SCHEMA",
      `The input schema cannot be expressed as JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
      "Use JSON types in the input (strings, numbers, booleans, arrays, objects, enums); pass dates as ISO strings and drop transforms.",
      { field: "input" },
    );
  }
}

function isObject(value: unknown): value is { readonly [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
