import { createEngine, sql } from '@quarry/core'
import { pullSchema } from '@quarry/migrate'
const engine = createEngine('sqlite::memory:', { pool: { size: 1 } })
for (const s of [
`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INT)`,
`CREATE INDEX t_lower ON t (lower(name))`,
`CREATE INDEX t_partial ON t (n) WHERE n > 0`,
`CREATE VIEW v AS SELECT id FROM t`,
]) await engine.execute(sql.raw(s))
try { const p = await pullSchema(engine, engine.dialect); console.log(p.source) } catch (e) { console.log(String(e)) }
await engine.close()
