/**
 * `quarry pull` on every dialect: a database made by createAll, and one made by hand-written DDL
 * that Quarry never saw (named foreign keys with actions, named and unnamed checks, a composite
 * key, unique and multi-column indexes, CURRENT_TIMESTAMP defaults, enums, SQLite timestamps in
 * several stored forms). The module written is loaded, declares the database exactly (the diff is
 * empty), finds rows by a Date, and type-checks. One run goes through the CLI.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createEngine, defineSchema, eq, gt, mysqlDialect, schemaMetaOf, schemaModel, select, sql, type Dialect, type Engine, type ModelTable } from '@quarry/core'
import { afterAll, expect, test } from 'vitest'
import { checkCommand, type Output } from '../../packages/migrate/src/commands'
import { diff, introspectDatabase, loadConfig, pullSchema, schemaSource } from '../../packages/migrate/src'
import { forEachDialect } from '../support'
import { everyFeature } from './every-feature'

const WORK = join(import.meta.dirname, '.work-pull')
const written: string[] = []
let counter = 0
afterAll(() => rmSync(WORK, { recursive: true, force: true }))

/** Writes a pulled module beside the others and imports its schema. */
async function load(source: string, name: string): Promise<Record<string, unknown>> {
  mkdirSync(WORK, { recursive: true })
  const file = join(WORK, `${name}-${process.pid}-${++counter}.ts`)
  writeFileSync(file, source)
  written.push(file)
  return ((await import(pathToFileURL(file).href)) as { schema: Record<string, unknown> }).schema
}

async function differences(engine: Engine, schema: object): Promise<unknown[]> {
  return diff(await introspectDatabase(engine, engine.dialect), schemaModel(schemaMetaOf(schema), engine.dialect))
}

/** A schema naming its foreign key and a check, as a database Quarry did not create may. */
const named = defineSchema({
  owners: { columns: { id: { type: 'integer', primaryKey: true } } },
  pets: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      ownerId: { type: 'integer', references: { to: 'owners.id', name: 'fk_pet_owner', onDelete: 'cascade' } },
      legs: { type: 'smallint' },
    },
    checks: { legs: { name: 'pets_legs_ok', expr: sql`legs >= 0` }, plain: sql`legs < 100` },
  },
})

/** The same schema with the check renamed and the foreign key under its default name. */
const namedAgain = defineSchema({
  owners: { columns: { id: { type: 'integer', primaryKey: true } } },
  pets: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      ownerId: { type: 'integer', references: { to: 'owners.id', onDelete: 'cascade' } },
      legs: { type: 'smallint' },
    },
    checks: { legs: { name: 'pets_legs_range', expr: sql`legs >= 0` }, plain: sql`legs < 100` },
  },
})

/** Hand-written DDL per dialect, with the rows the Date queries look for. */
const HAND: Record<Dialect['name'], string[]> = {
  sqlite: [
    `CREATE TABLE authors (
      id INTEGER PRIMARY KEY,
      name VARCHAR(80) NOT NULL,
      email TEXT NOT NULL UNIQUE,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
      joined_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
      CONSTRAINT authors_name_ok CHECK (length(name) > 0)
    )`,
    `CREATE TABLE books (
      author_id INTEGER NOT NULL,
      isbn VARCHAR(13) NOT NULL,
      title TEXT NOT NULL,
      price NUMERIC(10, 2) NOT NULL DEFAULT 0,
      published_at DATETIME,
      edited_at TIMESTAMP,
      PRIMARY KEY (author_id, isbn),
      CONSTRAINT fk_books_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE ON UPDATE CASCADE,
      CONSTRAINT books_price_positive CHECK (price >= 0)
    )`,
    `CREATE UNIQUE INDEX books_title_uq ON books (title, author_id)`,
    `CREATE INDEX books_published ON books (published_at)`,
    `CREATE INDEX authors_lower_email ON authors (lower(email))`,
    `CREATE TABLE reviews (
      id INTEGER PRIMARY KEY,
      author_id INTEGER REFERENCES authors (id) ON DELETE SET NULL,
      stars SMALLINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
      body TEXT
    )`,
    `INSERT INTO authors (id, name, email, joined_at) VALUES (1, 'Ann', 'ann@x.io', '2024-03-01 12:00:00'), (2, 'Bob', 'bob@x.io', '2024-03-01 12:00:01')`,
    `INSERT INTO books VALUES (1, '9780000000001', 'First', 12.5, '2024-03-01 12:00:00', '2024-03-02 08:30:00.000'), (2, '9780000000002', 'Second', 9.75, NULL, '2024-03-02 08:30:00.250')`,
  ],
  postgres: [
    `CREATE TYPE mood AS ENUM ('happy', 'sad')`,
    `CREATE TABLE authors (
      id serial PRIMARY KEY,
      name varchar(80) NOT NULL,
      email text NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
      joined_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
      CONSTRAINT authors_name_ok CHECK (length(name) > 0)
    )`,
    `CREATE TABLE books (
      author_id integer NOT NULL,
      isbn varchar(13) NOT NULL,
      title text NOT NULL,
      price numeric(10, 2) NOT NULL DEFAULT 0,
      published_at timestamptz,
      PRIMARY KEY (author_id, isbn),
      CONSTRAINT fk_books_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE ON UPDATE CASCADE,
      CONSTRAINT books_price_positive CHECK (price >= 0)
    )`,
    `CREATE UNIQUE INDEX books_title_uq ON books (title, author_id)`,
    `CREATE INDEX books_published ON books (published_at)`,
    `CREATE INDEX authors_recent ON authors (joined_at) WHERE status = 'active'`,
    `CREATE TABLE reviews (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      author_id integer REFERENCES authors (id) ON DELETE SET NULL,
      stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
      feeling mood,
      body text
    )`,
    `INSERT INTO authors (name, email, joined_at) VALUES ('Ann', 'ann@x.io', '2024-03-01 12:00:00'), ('Bob', 'bob@x.io', '2024-03-01 12:00:01')`,
    `INSERT INTO books VALUES (1, '9780000000001', 'First', 12.5, '2024-03-01 12:00:00+00'), (2, '9780000000002', 'Second', 9.75, NULL)`,
  ],
  mysql: [
    `CREATE TABLE authors (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(80) NOT NULL,
      email VARCHAR(120) NOT NULL UNIQUE,
      status ENUM('active', 'retired') NOT NULL DEFAULT 'active',
      joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      CONSTRAINT authors_name_ok CHECK (CHAR_LENGTH(name) > 0)
    ) ENGINE=InnoDB`,
    `CREATE TABLE books (
      author_id INT NOT NULL,
      isbn VARCHAR(13) NOT NULL,
      title VARCHAR(200) NOT NULL,
      price DECIMAL(10, 2) NOT NULL DEFAULT 0,
      published_at DATETIME(3) NULL,
      PRIMARY KEY (author_id, isbn),
      UNIQUE KEY books_title_uq (title, author_id),
      KEY books_published (published_at),
      CONSTRAINT fk_books_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE ON UPDATE CASCADE,
      CONSTRAINT books_price_positive CHECK (price >= 0)
    ) ENGINE=InnoDB`,
    `CREATE TABLE reviews (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      author_id INT NULL,
      stars SMALLINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
      body TEXT,
      FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE SET NULL
    ) ENGINE=InnoDB`,
    `INSERT INTO authors (name, email, joined_at) VALUES ('Ann', 'ann@x.io', '2024-03-01 12:00:00'), ('Bob', 'bob@x.io', '2024-03-01 12:00:01')`,
    `INSERT INTO books VALUES (1, '9780000000001', 'First', 12.5, '2024-03-01 12:00:00'), (2, '9780000000002', 'Second', 9.75, NULL)`,
  ],
}

forEachDialect((db) => {
  test('a database made by createAll from the every-feature schema pulls to a module that declares it exactly', async () => {
    const engine = await db.engine()
    await engine.createAll(everyFeature)
    const pulled = await pullSchema(engine, engine.dialect)
    expect(pulled.notes).toEqual([])
    expect(pulled.source).toContain(`{ casing: 'snake_case' }`)
    expect(pulled.source).toMatch(/managerId: \{[^}]*references: \{ to: "accounts\.id", onDelete: "set null" \}/)
    expect(pulled.source).toContain(`primaryKey: ["accountId", "slug"]`)
    const schema = await load(pulled.source, `${db.dialect}-every`)
    expect(await differences(engine, schema)).toEqual([])
  })

  test('named foreign keys and checks keep their names in DDL, introspection and the pulled module', async () => {
    const engine = await db.engine()
    await engine.createAll(named)
    const found = await introspectDatabase(engine, engine.dialect)
    const pets = found.tables.find((t) => t.name === 'pets')!
    expect(pets.foreignKeys.map((fk) => [fk.name, fk.onDelete])).toEqual([['fk_pet_owner', 'cascade']])
    expect(pets.checks.map((c) => c.name).sort()).toEqual(['pets_legs_ok', 'pets_plain_check'])
    expect(await differences(engine, named)).toEqual([])
    // The diff sees a renamed constraint: dropped under its old name, added under the new one.
    const renamed = diff(found, schemaModel(schemaMetaOf(namedAgain), engine.dialect))
    expect(renamed.map((op) => `${op.kind} ${'check' in op ? op.check.name : 'foreignKey' in op ? op.foreignKey.name : ''}`).sort()).toEqual([
      'addCheck pets_legs_range',
      'addForeignKey pets_ownerId_fkey',
      'dropCheck pets_legs_ok',
      'dropForeignKey fk_pet_owner',
    ])
    const pulled = await pullSchema(engine, engine.dialect)
    expect(pulled.source).toContain(`references: { to: "owners.id", onDelete: "cascade", name: "fk_pet_owner" }`)
    expect(pulled.source).toMatch(/legsOk: \{ name: "pets_legs_ok", expr: sql\.raw\(/)
    expect(pulled.source).toMatch(/plain: sql\.raw\(/)
    expect(await differences(engine, await load(pulled.source, `${db.dialect}-named`))).toEqual([])
  })

  test('a database made by hand-written DDL pulls to a module with its columns, keys, checks and stored forms; a Date finds its rows', async () => {
    const engine = await db.engine()
    for (const statement of HAND[db.dialect]) await engine.execute(sql.raw(statement))
    const pulled = await pullSchema(engine, engine.dialect)
    // An index on an expression or over some rows is named, not dropped silently.
    const unread = { sqlite: 'authors: index authors_lower_email on an expression', postgres: 'authors: index authors_recent with a WHERE', mysql: undefined }[db.dialect]
    expect(pulled.notes).toEqual(unread ? [`${unread}: not declared (a schema literal cannot say it; keep it with op.execute in a migration)`] : [])
    const source = pulled.source
    expect(source).toContain(`{ casing: 'snake_case' }`)
    expect(source).toContain(`name: "fk_books_author"`)
    const schema = (await load(source, `${db.dialect}-hand`)) as Record<string, never>
    expect(await differences(engine, schema)).toEqual([])

    const meta = schemaMetaOf(schema).tables
    expect(meta.books.primaryKey).toEqual(['authorId', 'isbn'])
    expect(meta.books.foreignKeys).toEqual([{ name: 'fk_books_author', columns: ['authorId'], table: 'authors', references: ['id'], onDelete: 'cascade', onUpdate: 'cascade' }])
    expect(meta.reviews.foreignKeys).toMatchObject([{ columns: ['authorId'], table: 'authors', references: ['id'], onDelete: 'set null' }])
    expect(meta.reviews.columns.authorId).toMatchObject({ type: 'integer', nullable: true })
    expect(meta.reviews.columns.id).toMatchObject({ primaryKey: true, autoIncrement: true })
    expect(meta.reviews.columns.stars).toMatchObject({ type: 'smallint', nullable: false })
    expect(meta.authors.columns.status).toMatchObject({ type: 'enum', values: ['active', 'retired'], default: 'active' })
    expect(meta.authors.columns.name).toMatchObject({ type: 'varchar', length: 80 })
    expect(meta.authors.checks.map((c) => c.name)).toEqual(['authors_name_ok'])
    expect(meta.books.checks.map((c) => c.name)).toEqual(['books_price_positive'])
    expect(meta.reviews.checks).toHaveLength(1)
    // A unique index stays an index; MySQL reports every unique key as a constraint, kept as a named one.
    expect([...meta.books.indexes, ...meta.books.uniques]).toContainEqual({ name: 'books_title_uq', columns: ['title', 'authorId'], unique: true })
    expect(meta.books.indexes).toContainEqual({ name: 'books_published', columns: ['publishedAt'], unique: false })
    expect(meta.books.columns.price).toMatchObject({ type: 'numeric', precision: 10, scale: 2, hasDefault: false })
    expect(meta.books.columns.price.serverDefault).toBeDefined()
    expect(meta.authors.columns.joinedAt).toMatchObject({ type: 'timestamp', nullable: false })
    expect(source).toMatch(/joinedAt: \{ type: "timestamp",[^}]*serverDefault: sql\.raw\("\(?CURRENT_TIMESTAMP(\(\))?\)?"\) \}/i)
    if (db.dialect === 'sqlite') {
      expect(meta.authors.columns.joinedAt.stored).toBe('seconds')
      expect(meta.books.columns.editedAt.stored).toBe('milliseconds')
      expect(meta.books.columns.price.stored).toBe('number')
    }
    if (db.dialect === 'postgres') expect(meta.reviews.columns.feeling).toMatchObject({ type: 'custom', sqlType: 'mood', nullable: true })

    // The module was written at run time: its tables are typed loosely here (the type-check test covers its types).
    const { authors, books } = schema as Record<string, any>
    const byDate = await engine.all(select({ name: authors.name }).from(authors).where(eq(authors.joinedAt, new Date('2024-03-01T12:00:00Z'))))
    expect(byDate).toEqual([{ name: 'Ann' }])
    const dear = await engine.all(select({ title: books.title }).from(books).where(gt(books.price, '10')))
    expect(dear).toEqual([{ title: 'First' }])
    if (db.dialect === 'sqlite') {
      const edited = await engine.all(select({ title: books.title }).from(books).where(eq(books.editedAt, new Date('2024-03-02T08:30:00Z'))))
      expect(edited).toEqual([{ title: 'First' }])
    }
  })

  test('generated columns and a MySQL ON UPDATE are noted, not read as plain columns or lost', async () => {
    const engine = await db.engine()
    const generated = db.dialect === 'mysql' ? 'twice INT AS (a * 2) STORED, touched DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP' : 'twice INT GENERATED ALWAYS AS (a * 2) STORED'
    await engine.execute(sql.raw(`CREATE TABLE g (id INT PRIMARY KEY, a INT, ${generated})`))
    const pulled = await pullSchema(engine, engine.dialect)
    const after = ': not declared (a schema literal cannot say it; keep it with op.execute in a migration)'
    const twice = { sqlite: 'g: column twice generated from other columns', postgres: 'g: column twice generated as (a * 2)', mysql: 'g: column twice generated as `a` * 2' }[db.dialect]
    expect(pulled.notes).toEqual([twice + after, ...(db.dialect === 'mysql' ? ['g: ON UPDATE current_timestamp() of column touched' + after] : [])])
    const schema = await load(pulled.source, `${db.dialect}-generated`)
    expect(Object.keys(schemaMetaOf(schema).tables.g.columns)).toEqual(db.dialect === 'mysql' ? ['id', 'a', 'touched'] : ['id', 'a'])
    expect(await differences(engine, schema)).toEqual([])
  })

  test('a unique constraint with a name of its own stays a named constraint', async () => {
    const engine = await db.engine()
    await engine.execute(sql`CREATE TABLE u (id INT PRIMARY KEY, a INT, b INT, CONSTRAINT u_pair UNIQUE (a, b))`)
    const pulled = await pullSchema(engine, engine.dialect)
    expect(pulled.source).toContain('uniques: [{ columns: ["a", "b"], name: "u_pair" }]')
    const schema = await load(pulled.source, `${db.dialect}-unique`)
    expect(schemaMetaOf(schema).tables.u.uniques).toEqual([{ name: 'u_pair', columns: ['a', 'b'], unique: true }])
    expect(await differences(engine, schema)).toEqual([])
    const found = (await introspectDatabase(engine, engine.dialect)).tables.find((t) => t.name === 'u')!
    expect(found.uniques.map((i) => i.name)).toEqual(['u_pair'])
  })

  test('names a database keeps per table (a CHECK in two tables, the MySQL index behind each unnamed foreign key) pull unchanged', async () => {
    const engine = await db.engine()
    await engine.execute(sql`CREATE TABLE a (id INT PRIMARY KEY)`)
    for (const t of ['x1', 'x2']) await engine.execute(sql.raw(`CREATE TABLE ${t} (id INT PRIMARY KEY, a_id INT, qty INT, CONSTRAINT qty_ok CHECK (qty > 0), FOREIGN KEY (a_id) REFERENCES a (id))`))
    const pulled = await pullSchema(engine, engine.dialect)
    expect(pulled.notes).toEqual([])
    const schema = await load(pulled.source, `${db.dialect}-repeated`)
    expect(await differences(engine, schema)).toEqual([])
    const meta = schemaMetaOf(schema).tables
    expect([meta.x1.checks[0].name, meta.x2.checks[0].name]).toEqual(['qty_ok', 'qty_ok'])
  })
})

test('what a schema literal cannot say is written into the module and returned as notes, not dropped', async () => {
  const engine = createEngine('sqlite::memory:', { pool: { size: 1 } })
  try {
    await engine.execute(sql`CREATE TABLE books (author_id INTEGER NOT NULL, isbn TEXT NOT NULL, PRIMARY KEY (author_id, isbn))`)
    await engine.execute(sql`CREATE TABLE editions (id INTEGER PRIMARY KEY, author_id INTEGER, isbn TEXT, printed TIMESTAMP, FOREIGN KEY (author_id, isbn) REFERENCES books (author_id, isbn))`)
    await engine.execute(sql`INSERT INTO editions (printed) VALUES (1709294400)`)
    const pulled = await pullSchema(engine, engine.dialect)
    expect(pulled.notes).toEqual([
      "editions.printed holds numbers (Unix seconds, it seems), which no stored form of a timestamp reads: declare it as integer or convert the rows to 'YYYY-MM-DD HH:MM:SS' text",
      'editions: the foreign key editions_author_id_isbn_fkey (author_id, isbn) spans several columns, which a schema literal cannot declare',
      'not declared exactly (a migration would dropForeignKey editions_author_id_isbn_fkey on editions)',
    ])
    for (const note of pulled.notes) expect(pulled.source).toContain(`// pull: ${note}\n`)
    // The module still loads and declares everything else.
    const schema = await load(pulled.source, 'sqlite-notes')
    expect(diff(await introspectDatabase(engine, engine.dialect), schemaModel(schemaMetaOf(schema), engine.dialect)).map((op) => op.kind)).toEqual(['dropForeignKey'])
  } finally {
    await engine.close()
  }
})

test('an index name two tables share (MySQL keeps them per table) is declared once and noted for the other', () => {
  const table = (name: string): ModelTable => ({
    name,
    columns: [{ name: 'id', type: 'integer', nullable: false, autoIncrement: false }, { name: 'qty', type: 'integer', nullable: true, autoIncrement: false }],
    primaryKey: ['id'],
    indexes: [{ name: 'by_qty', columns: ['qty'], unique: false }],
    uniques: [],
    checks: [],
    foreignKeys: [],
  })
  const pulled = schemaSource({ tables: [table('x1'), table('x2')] }, mysqlDialect)
  expect(pulled.notes).toEqual([
    "x2: the index by_qty has the name of another table's index, which a schema cannot repeat: declared under its default name",
    'not declared exactly (a migration would dropIndex by_qty on x2)',
    'not declared exactly (a migration would createIndex x2_qty_idx on x2)',
  ])
  expect(pulled.source).toContain('indexes: [{ columns: ["qty"], name: "by_qty" }]')
})

test('a bad constraint name or check is refused, naming the table, column and option', () => {
  const a = { columns: { id: { type: 'integer', primaryKey: true } } } as const
  expect(() => defineSchema({ a, b: { columns: { aId: { type: 'integer', references: { to: 'a.id', name: '' } } } } })).toThrow(/column b\.aId: references\.name must be a non-empty string/)
  expect(() => defineSchema({ a: { ...a, checks: { ok: { name: 'a_ok' } as never } } })).toThrow(/table a: check 'ok' must be SQL/)
  expect(() => defineSchema({ a: { ...a, checks: { ok: { name: '', expr: sql`id > 0` } } } })).toThrow(/table a: check 'ok' has \{ name, expr \}: name must be a non-empty string/)
  expect(() => defineSchema({ a: { ...a, checks: { ok: 'id > 0' as never } } })).toThrow(/table a: check 'ok' must be SQL/)
  expect(() => defineSchema({ a: { ...a, uniques: [{ columns: ['id'], name: '' }] } })).toThrow(/table a: uniques \{ columns, name \}: name must be a non-empty string/)
  expect(() => defineSchema({ a: { ...a, uniques: [{ name: 'x' } as never] } })).toThrow(/table a: each of uniques must be a list of column keys or \{ columns, name \}/)
})

test('quarry pull through the CLI writes the module that check then finds clean', async () => {
  const dir = join(WORK, `cli-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const url = `sqlite:///${join(dir, 'app.db')}`
  const engine = createEngine(url)
  try {
    for (const statement of HAND.sqlite) await engine.execute(sql.raw(statement))
  } finally {
    await engine.close()
  }
  writeFileSync(join(dir, 'quarry.config.ts'), `export default { url: ${JSON.stringify(url)}, schema: './src/schema.ts', migrations: './migrations' }\n`)
  const cli = join(import.meta.dirname, '../../packages/migrate/src/cli.ts')
  const run = spawnSync(process.execPath, ['--conditions=@quarry/source', '--import', 'tsx', cli, 'pull'], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
  expect(run.status, run.stdout + run.stderr).toBe(0)
  expect(run.stderr).toContain('wrote src/schema.ts (3 tables, 1 notes in it)')
  const source = readFileSync(join(dir, 'src/schema.ts'), 'utf8')
  expect(source).toContain('export const schema = defineSchema(')
  written.push(join(dir, 'src/schema.ts'))
  const lines: string[] = []
  const out: Output = { log: (l) => lines.push(l), error: (l) => lines.push(l) }
  const cwd = process.cwd()
  expect(await checkCommand(await loadConfig(dir), false, out)).toBe(0)
  expect(lines.join('\n')).toContain('no differences')
  expect(cwd).toBe(process.cwd())
}, 90_000)

test('the pulled modules type-check', () => {
  expect(written.length).toBeGreaterThan(0)
  writeFileSync(join(WORK, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', include: written }))
  const tsc = join(import.meta.dirname, '../../node_modules/typescript/bin/tsc')
  const run = spawnSync(process.execPath, [tsc, '-p', join(WORK, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8', timeout: 120_000 })
  expect(run.stdout + run.stderr).toBe('')
  expect(run.status).toBe(0)
}, 130_000)
