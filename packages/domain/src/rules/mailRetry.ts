import { Duration } from "effect"

/** Delivery attempts before a message is given up as failed. */
export const MAX_MAIL_ATTEMPTS = 8

/**
 * How long to wait before the next attempt after `attempts` failed ones (1 or more): 2.5 s, 5 s,
 * 10 s, ... capped at 60 s — the first retry comes within 5 s, and a long outage costs at most a
 * minute of delay once the server is back. `undefined` when the message should be given up.
 */
export const mailRetryDelay = (attempts: number): Duration.Duration | undefined =>
  attempts >= MAX_MAIL_ATTEMPTS ? undefined : Duration.millis(Math.min(60_000, 2_500 * 2 ** (attempts - 1)))
