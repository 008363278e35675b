import { z } from 'zod';

/**
 * Sobot's document contradicts itself on spellings and types (Java `Long` sent as strings, booleans as
 * "true", camelCase beside snake_case), so every wire schema is built from these liberal pieces:
 * they coerce what has one obvious meaning and reject only what cannot be read.
 */

const nullToUndefined = (value: unknown) => (value === null ? undefined : value);

/** A string, or a number that Sobot's Java side may have serialised without quotes. */
export const looseString = z.union([z.string(), z.number().transform(String)], {
  error: 'expected a string',
});

// One union with null as a member, not a preprocess around an optional union: every round's request
// passes through this for most of its fields, and each layer zod runs costs time on a round's path.
export const optionalString = z
  .union([...looseString.options, z.null().transform(() => undefined)], { error: 'expected a string' })
  .optional();

/** true/false, "true"/"false" (any case), 1/0, "1"/"0"; absent or null, `absent`. */
export const looseBooleanOr = (absent: boolean) =>
  z.preprocess((value) => readBoolean(value ?? absent), z.boolean({ error: 'expected a boolean (true/false)' }));

function readBoolean(value: unknown): unknown {
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true' || lowered === '1') return true;
    if (lowered === 'false' || lowered === '0' || lowered === '') return false;
  }
  if (value === 1) return true;
  if (value === 0) return false;
  return value;
}

export const optionalInteger = z.preprocess(
  (value) => {
    if (value === null || value === '') return undefined;
    if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
    return value;
  },
  z.number({ error: 'expected a number' }).int({ error: 'expected a whole number' }).optional(),
);

/**
 * Free-form maps (`params`, `multi_params`); some channels send them as a JSON string. Nothing in it (null,
 * `"null"`, an empty list, as Java serialises an empty collection) is absent; other non-maps cannot be read.
 */
export const looseRecord = z.preprocess(
  (value) => {
    const parsed = typeof value === 'string' ? parseJsonOr(value) : value;
    const empty = parsed === null || parsed === '' || (Array.isArray(parsed) && parsed.length === 0);
    return empty ? undefined : parsed;
  },
  z.record(z.string(), z.unknown(), { error: 'expected an object' }).optional(),
);

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The document's tables type some lists as one object (`input_variable_infos`, `custom_menus`) while its
 * examples send lists: one object is read as a list of one.
 */
export const optionalList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (value === null ? undefined : isPlainObject(value) ? [value] : value),
    z.array(item, { error: 'expected a list' }).optional(),
  );

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const camelToSnake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Rewrites one object's own keys to snake_case and applies aliases (alternative → canonical), leaving
 * nested objects to their own schemas: card header maps use customer-chosen keys that must stay as sent.
 */
export function normaliseKeys(aliases: Record<string, string> = {}) {
  return (value: unknown): unknown => {
    if (!isPlainObject(value)) return value;
    // Sobot's webhook requests come in snake_case already: passed on as they are, not copied key by key.
    if (Object.keys(value).every((key) => !/[A-Z]/.test(key) && !Object.hasOwn(aliases, key))) return value;
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const snake = camelToSnake(key);
      const canonical = Object.hasOwn(aliases, snake) ? aliases[snake]! : snake;
      if (!Object.hasOwn(result, canonical) || result[canonical] === undefined || result[canonical] === null) {
        result[canonical] = field;
      }
    }
    return result;
  };
}

/** A nested object that may be absent or null. */
export const optionalObject = <T extends z.ZodType>(schema: T) => z.preprocess(nullToUndefined, schema.optional());
