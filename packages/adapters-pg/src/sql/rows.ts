import { Effect, Schema } from "effect"

// Rows arrive with driver types (bigint for int8, Date for timestamptz) and, from json_agg, as
// plain JSON. Bringing both to the JSON shape lets one codec per domain class decode either.
const toJsonShape = (value: unknown): unknown => {
  if (typeof value === "bigint") return Number(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(toJsonShape)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonShape(v)]))
  }
  return value
}

/**
 * A decoder from database rows (columns aliased to the schema's field names) to a domain type.
 * A row that does not decode means the schema and the database disagree: a defect, not a
 * business failure.
 */
export const rowDecoder = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) => {
  const decode = Schema.decodeUnknownEffect(Schema.toCodecJson(schema))
  return (row: unknown): Effect.Effect<S["Type"]> => Effect.orDie(decode(toJsonShape(row)))
}

/** Decodes every row with `decodeRow`. */
export const decodeAll = <A>(
  decodeRow: (row: unknown) => Effect.Effect<A>,
  rows: ReadonlyArray<unknown>
): Effect.Effect<ReadonlyArray<A>> => Effect.forEach(rows, decodeRow)
