/** While purchases are being sold, the mail worker rests this many times as long as its last pass took. */
export const MAIL_REST_FACTOR = 10

/** Shortest and longest rest between two passes while selling, in ms. */
export const MAIL_REST_BOUNDS = { min: 5, max: 1_000 } as const

/**
 * How long the mail worker waits before its next pass when the last one, which found mail, took
 * `passMillis` while purchases were being sold: ten times as long, within `MAIL_REST_BOUNDS`, so
 * that mail takes about an eleventh of the time a sale could use. Mail keeps going out during a
 * long sale (a pass of 20 messages every 50–150 ms in a 64-buyer sale on two cores), and at full
 * speed as soon as the sale calms down; it is never lost, only later — it waits in the outbox.
 */
export const mailRestWhileSelling = (passMillis: number): number =>
  Math.min(MAIL_REST_BOUNDS.max, Math.max(MAIL_REST_BOUNDS.min, MAIL_REST_FACTOR * Math.max(0, passMillis)))
