import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("adapters-http", import.meta.url)
