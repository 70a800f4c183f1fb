/** The `quarry` CLI's config for the example: `npx quarry revision --autogenerate` from this folder. */
import { defineConfig } from '@quarry/migrate'

export default defineConfig({
  url: 'sqlite:///blog.db',
  schema: './src/schema.ts',
  migrations: './migrations',
})
