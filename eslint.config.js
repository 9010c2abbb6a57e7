// ESLint flat config. Untyped typescript-eslint rules only, to keep `npm run lint` fast;
// `tsc -b` does the type checking. Import boundaries are checked by dependency-cruiser
// (.dependency-cruiser.cjs), not here.
import js from "@eslint/js"
import { defineConfig, globalIgnores } from "eslint/config"
import globals from "globals"
import tseslint from "typescript-eslint"
import { gitIgnored } from "./scripts/git-ignored.cjs"

const unusedVars = {
  args: "after-used",
  argsIgnorePattern: "^_",
  varsIgnorePattern: "^_",
  caughtErrorsIgnorePattern: "^_",
  destructuredArrayIgnorePattern: "^_",
  ignoreRestSiblings: true
}

export default defineConfig([
  // The fixed list covers a checkout without git; gitIgnored() adds scratch dirs and the like.
  globalIgnores(["**/node_modules/", "**/dist/", "**/.data/", "bench/results/", "**/coverage/", ".nx/", ...gitIgnored()]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", unusedVars],
      // Effect idioms: `Effect.gen(function* () { return x })` need not yield, and
      // `interface Foo extends Schema.Schema.Type<typeof Foo> {}` names a schema's type.
      "require-yield": "off",
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      "@typescript-eslint/no-namespace": ["error", { allowDeclarations: true }]
    }
  },
  {
    // CommonJS on purpose: dependency-cruiser's config and the helper it shares with this file.
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" }
  },
  {
    // The core is Effect code: failures are values (Schema.TaggedError), never exceptions.
    files: ["packages/domain/src/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "TryStatement",
          message: "No try/catch in the domain: use Effect.try / Effect.catch* and typed errors."
        },
        {
          selector: "ThrowStatement",
          message: "No throw in the domain: fail with `return yield* new SomeError(...)`."
        },
        {
          selector: "CallExpression[callee.object.name='Effect'][callee.property.name=/^run/]",
          message: "The domain returns effects; running them (Effect.run*) is the caller's job."
        }
      ]
    }
  }
])
