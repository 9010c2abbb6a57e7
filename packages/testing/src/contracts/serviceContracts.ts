import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { PasswordHasher, password, TicketCodes } from "@ticketmania/domain"
import type { ContractOptions } from "./StoragePorts.ts"

/** The behaviour every `PasswordHasher` must have. */
export const passwordHasherContract = <E>(name: string, hasher: Layer.Layer<PasswordHasher, E>, options: ContractOptions = {}) =>
  layer(hasher, { excludeTestServices: true, timeout: options.timeout ?? 60_000 })(`PasswordHasher contract (${name})`, (it) => {
    it.effect("verifies the password it hashed and refuses others", () =>
      Effect.gen(function*() {
        const hasher = yield* PasswordHasher
        const hash = yield* hasher.hash(password("securepassword123"))
        assert.notInclude(hash, "securepassword123")
        assert.isTrue(yield* hasher.verify(password("securepassword123"), Option.some(hash)))
        assert.isFalse(yield* hasher.verify(password("securepassword124"), Option.some(hash)))
      }))

    it.effect("answers false, after doing the work, when there is no hash", () =>
      Effect.gen(function*() {
        assert.isFalse(yield* (yield* PasswordHasher).verify(password("securepassword123"), Option.none()))
      }))
  })

/** The behaviour every `TicketCodes` source must have. */
export const ticketCodesContract = <E>(name: string, codes: Layer.Layer<TicketCodes, E>, options: ContractOptions = {}) =>
  layer(codes, { excludeTestServices: true, timeout: options.timeout ?? 60_000 })(`TicketCodes contract (${name})`, (it) => {
    it.effect("makes as many distinct codes as asked, each long enough to carry 128 bits", () =>
      Effect.gen(function*() {
        const generated = yield* (yield* TicketCodes).generate(500)
        assert.strictEqual(generated.length, 500)
        assert.strictEqual(new Set(generated).size, 500)
        assert.isTrue(generated.every((code) => code.length >= 22 && /^[A-Z0-9]+$/.test(code)))
      }))
  })
