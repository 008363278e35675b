import { defineConfig } from 'drizzle-kit';

// The same migrations folder serves better-sqlite3 (applied on start) and D1 (wrangler d1 migrations apply).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './drizzle',
});
