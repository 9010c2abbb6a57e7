// Architecture boundaries (docs: ARCHITECTURE.md, "Dependency rule"), checked by `npm run lint`:
//   domain -> effect only; adapters-* and testing -> domain; cli (and examples) -> everything;
//   no adapter imports another adapter.
// Workspace packages resolve through their node_modules symlinks to packages/<name>/src/index.ts,
// so the rules below match resolved paths, and also the bare name (`@ticketmania/...`) that is
// recorded for an import that could not be resolved (say, a package with no src/index.ts yet).
// Such an import also fails `not-to-unresolvable`, so nothing slips by unresolved.
const { gitIgnored } = require("./scripts/git-ignored.cjs")

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
// Skip what git ignores (scratch dirs, build output), but never node_modules: see `exclude` below.
const gitIgnoredOutsideNodeModules = gitIgnored()
  .filter((path) => !path.includes("node_modules/"))
  .map((path) => `^${escapeRegExp(path)}`)

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-imports-only-effect",
      comment:
        "packages/domain/src may import only its own files and the `effect` package: no node: " +
        "builtins, no other npm package, no other workspace package.",
      severity: "error",
      from: { path: "^packages/domain/src/" },
      to: { pathNot: ["^packages/domain/src/", "(^|/)node_modules/effect/"] }
    },
    {
      name: "domain-no-infrastructure-modules-of-effect",
      comment:
        "The domain stays HTTP- and SQL-free: effect/http, effect/http-api and effect/sql belong " +
        "to the adapters.",
      severity: "error",
      from: { path: "^packages/domain/src/" },
      to: { path: "(^|/)node_modules/effect/(dist|src)/(http|http-api|sql)/" }
    },
    {
      name: "adapter-not-to-other-adapter",
      comment: "An adapter must not import another adapter (@ticketmania/adapters-*): compose them in the cli.",
      severity: "error",
      from: { path: "^packages/(adapters-[^/]+)/" },
      to: { path: "^(?:packages/|@ticketmania/)adapters-", pathNot: "^(?:packages/|@ticketmania/)$1(?:/|$)" }
    },
    {
      name: "testing-not-to-adapters",
      comment: "packages/testing implements the ports in memory; it must not import @ticketmania/adapters-*.",
      severity: "error",
      from: { path: "^packages/testing/" },
      to: { path: "^(?:packages/|@ticketmania/)adapters-" }
    },
    {
      name: "only-cli-imports-cli",
      comment: "@ticketmania/cli is the application (composition root); libraries must not import it.",
      severity: "error",
      from: { path: "^packages/", pathNot: "^packages/cli/" },
      to: { path: "^(?:packages/cli/|@ticketmania/cli$)" }
    },
    {
      name: "adapter-src-not-to-testing",
      comment:
        "Adapters depend on the domain only; @ticketmania/testing (in-memory fakes, contract suites) " +
        "is for their tests, not their src.",
      severity: "error",
      from: { path: "^packages/adapters-[^/]+/src/" },
      to: { path: "^(?:packages/testing/|@ticketmania/testing$)" }
    },
    {
      name: "no-relative-import-across-packages",
      comment: "Import another workspace package by its name (@ticketmania/...), not by a relative path.",
      severity: "error",
      from: { path: "^(packages|examples)/([^/]+)/" },
      to: { dependencyTypes: ["local"], path: "^(packages|examples)/", pathNot: "^$1/$2/" }
    },
    {
      name: "nothing-imports-examples",
      comment: "examples/* consume the packages; no package may depend on an example.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^examples/" }
    },
    {
      name: "not-to-unresolvable",
      comment: "This import cannot be resolved (missing file or package, or a typo).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    // Exclusions must not touch node_modules (e.g. node_modules/effect/dist/): an excluded
    // module vanishes from the graph instead of breaking a rule. Followed no further, though.
    exclude: { path: ["^(packages|examples)/[^/]+/(dist|coverage|\\.data)/", ...gitIgnoredOutsideNodeModules] },
    doNotFollow: { path: "(^|/)node_modules/" },
    // Count `import type` too: a type-only import still couples the domain to infrastructure.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs", ".json"]
    },
    skipAnalysisNotInRules: true
  }
}
