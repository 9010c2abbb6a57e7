import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("embed", import.meta.url)
