/**
 * What JSON.parse(JSON.stringify(value)) gives, made in one pass without the text in between:
 * toJSON() is applied (a Date becomes its ISO string), undefined, functions and symbols are left
 * out of objects and become null in arrays, and numbers that are not finite become null.
 */
export function plainJson(value: unknown, key = ''): unknown {
  if (value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') value = value.toJSON(key);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // -0 prints as 0
      return Number.isFinite(value) ? value + 0 : null;
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) return arrayCopy(value);
      // boxed primitives print as their value
      if (value instanceof String || value instanceof Boolean || value instanceof Number) return plainJson(value.valueOf());
      return plainJsonObject(value);
    default:
      return undefined;
  }
}

function arrayCopy(value: unknown[]): unknown[] {
  // a loop, not map(): a hole in a sparse array becomes null too
  const copy: unknown[] = new Array(value.length);
  for (let index = 0; index < value.length; index += 1) copy[index] = plainJson(value[index], String(index)) ?? null;
  return copy;
}

/** plainJson() of an object (one without toJSON), typed as the object it is. */
export function plainJsonObject(value: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    const field = plainJson(Reflect.get(value, name), name);
    if (field === undefined) continue;
    // JSON.parse makes "__proto__" an own property; an assignment would set the prototype instead
    if (name === '__proto__') Object.defineProperty(copy, name, { value: field, enumerable: true, writable: true, configurable: true });
    else copy[name] = field;
  }
  return copy;
}
