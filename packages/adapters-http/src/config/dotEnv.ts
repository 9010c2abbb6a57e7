import { ConfigProvider, Effect, FileSystem, Layer } from "effect"

/**
 * Adds the variables of `.env` (in the working directory), when the file exists, behind the
 * process environment: a variable set in both places takes the environment's value.
 */
export const layerDotEnv: Layer.Layer<never, never, FileSystem.FileSystem> = ConfigProvider.layerAdd(
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(".env").pipe(Effect.orElseSucceed(() => false)))) return ConfigProvider.fromUnknown({})
    return yield* ConfigProvider.fromDotEnv().pipe(Effect.orElseSucceed(() => ConfigProvider.fromUnknown({})))
  })
)
