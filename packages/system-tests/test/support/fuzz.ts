import fc from "fast-check"

// Request generators for fuzzing, driven by the service's own OpenAPI document: every operation
// it lists, its JSON body schema, its query, path and header parameters. A schema alone yields
// mostly 422s, so generators take hints by field name (real ids, valid emails, future times) to
// reach the success paths too; then mutations break the values the way attackers and buggy
// clients do (wrong types, huge and fractional numbers, SQL and JSON metacharacters, unknown keys,
// deep nesting, raw non-JSON bodies).

/** The subset of JSON Schema that the OpenAPI document uses. */
export interface JsonSchema {
  readonly $ref?: string
  readonly type?: string
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly oneOf?: ReadonlyArray<JsonSchema>
  readonly enum?: ReadonlyArray<unknown>
  readonly minimum?: number
  readonly maximum?: number
}

interface Parameter {
  readonly name: string
  readonly in: "query" | "path" | "header"
  readonly schema?: JsonSchema
}

interface Operation {
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> }
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>
  readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> }
}

/** One operation of the document, ready to be fuzzed. */
export interface FuzzOperation {
  readonly method: string
  /** The path template, e.g. `/v1/events/{id}`. */
  readonly path: string
  readonly body: JsonSchema | undefined
  readonly query: ReadonlyArray<string>
  readonly pathParams: ReadonlyArray<string>
  readonly headers: ReadonlyArray<string>
}

/** Every operation of the document. */
export const operationsOf = (doc: OpenApiDocument): ReadonlyArray<FuzzOperation> =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const parameters = op.parameters ?? []
      const names = (where: Parameter["in"]) => parameters.filter((p) => p.in === where).map((p) => p.name)
      return {
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.["application/json"]?.schema,
        query: names("query"),
        pathParams: names("path"),
        headers: names("header")
      }
    }))

/** Field-name hints: an arbitrary of plausible values for a property (undefined: use the schema). */
export type Hints = (name: string) => fc.Arbitrary<unknown> | undefined

/** A fast-check arbitrary for values of `schema`, resolving `$ref`s in `doc`. */
export const arbitraryOf = (doc: OpenApiDocument, schema: JsonSchema, hints: Hints, name = ""): fc.Arbitrary<unknown> => {
  const hinted = name === "" ? undefined : hints(name)
  if (hinted !== undefined) return hinted
  if (schema.$ref !== undefined) {
    const target = doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")]
    return target === undefined ? fc.jsonValue() : arbitraryOf(doc, target, hints, name)
  }
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives !== undefined) return fc.oneof(...alternatives.map((s) => arbitraryOf(doc, s, hints, name)))
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum)
  switch (schema.type) {
    case "object": {
      const properties = schema.properties ?? {}
      const shape: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [key, value] of Object.entries(properties)) shape[key] = arbitraryOf(doc, value, hints, key)
      // Required keys are usually there, optional ones sometimes: missing required keys come from mutations.
      return fc.record(shape, { requiredKeys: (schema.required ?? []).filter((k) => k in shape) })
    }
    case "array":
      return fc.array(schema.items === undefined ? fc.jsonValue() : arbitraryOf(doc, schema.items, hints, name), { maxLength: 4 })
    case "integer":
      return fc.oneof(fc.integer({ min: -5, max: 50 }), fc.integer(), fc.maxSafeInteger())
    case "number":
      return fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
    case "boolean":
      return fc.boolean()
    case "string":
      return fc.string({ maxLength: 40 })
    default:
      return fc.jsonValue()
  }
}

/** Strings that break naive SQL, JSON, HTML, shells and parsers. */
export const EVIL_STRINGS: ReadonlyArray<string> = [
  "'",
  "''",
  "\"",
  "\\",
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  "1; SELECT pg_sleep(10)",
  "$$; SELECT 1; $$",
  "%",
  "_",
  "\u0000",
  "a\u0000b",
  "<script>alert(1)</script>",
  "{{7*7}}",
  "${7*7}",
  "../../etc/passwd",
  "\ud83d\ude00",
  "\u202e",
  "null",
  "NaN",
  "-Infinity",
  "1e309",
  "9007199254740993",
  "0x10",
  " 1",
  "",
  " "
]

/** A value of any JSON type that a field should not normally hold. */
export const evilValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...EVIL_STRINGS),
  fc.constantFrom<unknown>(-1, 0, 1.5, -0.5, 1e308, -1e308, 2 ** 53, 2 ** 31, 2 ** 63, 1e-7, null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer({ min: 1, max: 6 }).map((depth) => JSON.parse("[".repeat(depth * 20) + "]".repeat(depth * 20)) as unknown),
  fc.integer({ min: 1, max: 3 }).map((k) => "x".repeat(k * 4_000))
)

/** Keys a client must not be able to set, plus prototype-pollution classics. */
export const FORBIDDEN_KEYS: ReadonlyArray<string> = [
  "id", "organizer_id", "organizerId", "sold_qty", "available_qty", "user_id", "userId", "status", "role", "is_admin",
  "created_at", "password_hash", "total_amount", "price", "order_id", "__proto__", "constructor", "prototype"
]

/** A mutation of a JSON value: replace, delete or add something at one spot. */
export interface Mutation {
  readonly kind: "replace" | "delete" | "add"
  /** Which spot: an index into the value's spots, taken modulo their number. */
  readonly spot: number
  readonly key: string
  readonly value: unknown
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation["kind"]>("replace", "delete", "add"),
  spot: fc.nat(),
  key: fc.oneof(fc.constantFrom(...FORBIDDEN_KEYS), fc.string({ maxLength: 12 })),
  value: evilValue
})

type Container = Record<string, unknown> | Array<unknown>

const spotsOf = (value: unknown): Array<{ readonly parent: Container; readonly key: string | number }> => {
  const spots: Array<{ parent: Container; key: string | number }> = []
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        spots.push({ parent: node, key: i })
        walk(child)
      })
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        spots.push({ parent: node as Record<string, unknown>, key })
        walk(child)
      }
    }
  }
  walk(value)
  return spots
}

const containersOf = (value: unknown): Array<Container> => {
  const found: Array<Container> = []
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      found.push(node)
      node.forEach(walk)
    } else if (node !== null && typeof node === "object") {
      found.push(node as Record<string, unknown>)
      Object.values(node).forEach(walk)
    }
  }
  walk(value)
  return found
}

/** Applies mutations to a copy of `value` (a structured clone of plain JSON data). */
export const mutate = (value: unknown, mutations: ReadonlyArray<Mutation>): unknown => {
  let root: unknown = value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown)
  for (const mutation of mutations) {
    // Each mutation brings a value of its own: `constantFrom` hands every draw the same `[]` or
    // `{}`, and the same container added twice can be added into itself (a cycle JSON cannot send).
    const m = { ...mutation, value: structuredClone(mutation.value) }
    if (m.kind === "add") {
      const containers = containersOf(root)
      const target = containers[m.spot % Math.max(1, containers.length)]
      if (target === undefined) root = m.value
      else if (Array.isArray(target)) target.push(m.value)
      // defineProperty, so that "__proto__" becomes an own key that JSON.stringify sends.
      else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true })
      continue
    }
    const spots = spotsOf(root)
    const spot = spots[m.spot % Math.max(1, spots.length)]
    if (spot === undefined) {
      root = m.value
    } else if (m.kind === "delete") {
      if (Array.isArray(spot.parent)) spot.parent.splice(Number(spot.key), 1)
      else delete spot.parent[spot.key as string]
    } else if (Array.isArray(spot.parent)) {
      spot.parent[Number(spot.key)] = m.value
    } else {
      spot.parent[spot.key as string] = m.value
    }
  }
  return root
}

/** Header values fetch accepts (visible ASCII and spaces), including some hostile ones. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom("", " ", "x".repeat(300), "x".repeat(256), "a\tb", "%00", "'; DROP TABLE idempotency_keys; --")
)
