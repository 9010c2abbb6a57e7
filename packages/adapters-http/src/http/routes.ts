import { HttpApi } from "effect/http-api"
import { Api } from "../api/Api.ts"

// The route table, derived from the API definition: it names the route of a request for logs and
// metrics (never the raw URL, whose ids would explode the label set) and tells an unknown path
// (404) from a known path asked with the wrong method (405 with `Allow`).

/** Routes served outside the HttpApi definition. */
export const DOCS_ROUTES = { openapi: "/openapi.json", docs: "/docs" } as const

interface Route {
  readonly pattern: string
  readonly regex: RegExp
  readonly methods: Set<string>
}

const toRegex = (path: string): RegExp =>
  new RegExp(`^${path.split("/").map((part) => part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("/")}/?$`)

const build = (): ReadonlyArray<Route & { readonly allow: string }> => {
  const byPattern = new Map<string, Route>()
  const add = (method: string, pattern: string) => {
    const route = byPattern.get(pattern) ?? { pattern, regex: toRegex(pattern), methods: new Set<string>() }
    route.methods.add(method)
    if (method === "GET") route.methods.add("HEAD")
    byPattern.set(pattern, route)
  }
  HttpApi.reflect(Api, { onGroup: () => {}, onEndpoint: ({ endpoint }) => add(endpoint.method, endpoint.path) })
  for (const path of Object.values(DOCS_ROUTES)) add("GET", path)
  // Static paths first, so `/v1/events` is not taken for a parameter of another route.
  return [...byPattern.values()]
    .sort((a, b) => Number(a.pattern.includes(":")) - Number(b.pattern.includes(":")))
    .map((route) => ({ ...route, allow: [...[...route.methods].sort(), "OPTIONS"].join(", ") }))
}

const ROUTES: ReadonlyArray<Route & { readonly allow: string }> = build()

/** The route a request path belongs to, or undefined for an unknown path. */
export const matchRoute = (url: string): { readonly pattern: string; readonly allow: string } | undefined => {
  const end = url.search(/[?#]/)
  const path = end === -1 ? url : url.slice(0, end)
  for (const route of ROUTES) {
    if (route.regex.test(path)) return route
  }
  return undefined
}
