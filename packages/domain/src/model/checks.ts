import { Schema } from "effect"

// Filters that carry the exact messages of the HTTP contract, so every driver (HTTP, CLI, an
// embedding service) reports the same words for the same mistake.

/** A string whose length (in UTF-16 code units after any decoding) lies in [min, max]. */
export const lengthBetween = (min: number, max: number) =>
  Schema.makeFilter((s: string) => {
    if (s.length < min) return min === 1 ? "must not be empty" : `must be at least ${min} characters`
    return s.length <= max || `must be at most ${max} characters`
  })

/** A string of at most `max` characters. */
export const maxLength = (max: number) =>
  Schema.makeFilter((s: string) => s.length <= max || `must be at most ${max} characters`)

/** An integer in [min, max]; pass `undefined` for an open bound. */
export const intBetween = (min: number | undefined, max: number | undefined) =>
  Schema.makeFilter((n: number) => {
    if (min !== undefined && n < min) return `must be >= ${min}`
    return max === undefined || n <= max || `must be <= ${max}`
  })

/**
 * Text that can be stored: no NUL character (U+0000), which PostgreSQL text (like C strings)
 * cannot hold; accepted, it made the database refuse the row and the request end in a 500.
 */
export const noNul = Schema.makeFilter((s: string) => !s.includes("\u0000") || "must not contain NUL characters")

/** A string schema that is trimmed on decoding and must then have a length in [min, max]. */
export const TrimmedText = (min: number, max: number) =>
  Schema.Trim.pipe(Schema.check(lengthBetween(min, max), noNul))

/** An integer, with the contract's message for non-integral numbers. */
export const Integer = Schema.Number.check(
  Schema.makeFilter((n: number) => Number.isSafeInteger(n) || "must be an integer")
)
