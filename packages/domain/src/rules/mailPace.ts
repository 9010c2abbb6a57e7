/** While purchases are being sold, the mail worker rests this many times as long as its last pass took. */
export const MAIL_REST_FACTOR = 10

/** Shortest and longest rest between two passes while selling, in ms. */
export const MAIL_REST_BOUNDS = { min: 5, max: 1_000 } as const

/**
 * How long a sale may hold mail back, in ms: once a pass finds a message due longer ago than
 * this, the worker stops resting until it has caught up, however long the sale goes on.
 */
export const MAIL_HOLD_BACK_MILLIS = 60_000

/**
 * How long the mail worker waits before its next pass when the last one, which found mail, took
 * `passMillis` while purchases were being sold, the oldest message it found having been due for
 * `waitedMillis`: ten times as long as the pass, within `MAIL_REST_BOUNDS`, so that mail takes
 * about an eleventh of the time a sale could use — or not at all (0) once mail has waited
 * `MAIL_HOLD_BACK_MILLIS`, so that a long sale, or steady sales, delay it a minute at most. Mail
 * keeps going out during a sale (a pass of 20 messages every 50–150 ms in a 64-buyer sale on two
 * cores), at full speed as soon as the sale calms down, and is never lost: it waits in the outbox.
 */
export const mailRestWhileSelling = (passMillis: number, waitedMillis: number): number =>
  waitedMillis > MAIL_HOLD_BACK_MILLIS
    ? 0
    : Math.min(MAIL_REST_BOUNDS.max, Math.max(MAIL_REST_BOUNDS.min, MAIL_REST_FACTOR * Math.max(0, passMillis)))
