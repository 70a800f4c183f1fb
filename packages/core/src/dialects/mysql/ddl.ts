/**
 * MySQL / MariaDB DDL differences. Tables are InnoDB in utf8mb4 with the binary collation, so text
 * compares, sorts and is unique by code point as on PostgreSQL and SQLite. A foreign-key cycle is
 * written inline while `FOREIGN_KEY_CHECKS` is off (statements must run on one connection).
 * Indexes are written inside CREATE TABLE: MySQL 8 has no CREATE INDEX IF NOT EXISTS. Literals
 * never rely on backslash escapes, which NO_BACKSLASH_ESCAPES turns off.
 */
import type { DdlHooks } from '../dialect.js'

/**
 * A MySQL string literal that means the same under every sql_mode: quotes doubled, and text holding
 * a backslash (an escape by default, a plain character under NO_BACKSLASH_ESCAPES) written in hex.
 * `X'…'` is accepted where a literal is (ENUM members, DEFAULT, CHECK, ESCAPE); it is a binary string.
 * @example stringLiteral("it's") // 'it''s'; stringLiteral('a\\b') // X'615c62'
 */
export function stringLiteral(value: string): string {
  return value.includes('\\') ? `X'${Buffer.from(value, 'utf8').toString('hex')}'` : `'${value.replaceAll("'", "''")}'`
}

/**
 * A text constant in a query under every sql_mode: as `stringLiteral`, converted back to text where
 * it is in hex (a binary string would come back as bytes and compare as bytes).
 * @example textLiteral('a\\b') // CONVERT(X'615c62' USING utf8mb4)
 */
export function textLiteral(value: string): string {
  const literal = stringLiteral(value)
  return literal.startsWith('X') ? `CONVERT(${literal} USING utf8mb4)` : literal
}

/** MySQL's DDL hooks. */
export const ddl: DdlHooks = {
  stringLiteral,
  textLiteral,
  bytesLiteral: (hex) => `X'${hex}'`,
  autoIncrement: { clause: ' AUTO_INCREMENT', notNull: true },
  enumCheck: false,
  inlineIndexes: true,
  tableOptions: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin',
  // DATETIME holds UTC whatever the session's time_zone.
  currentTimestamp: (column) => `(UTC_TIMESTAMP(${column.precision ?? 3}))`,
  suspendForeignKeys: ['SET FOREIGN_KEY_CHECKS = 0', 'SET FOREIGN_KEY_CHECKS = 1'],
  dropIndexOnTable: true,
  alter: { column: 'restate', dropUnique: 'DROP INDEX', dropCheck: 'DROP CONSTRAINT', dropForeignKey: 'DROP FOREIGN KEY', dropPrimaryKey: () => 'DROP PRIMARY KEY' },
  migrationLock: {
    scope: 'session',
    acquire: (ms) => [`SELECT GET_LOCK('quarry_migrate', ${Math.max(0, Math.ceil(ms / 1000))}) AS granted`],
    release: "SELECT RELEASE_LOCK('quarry_migrate')",
    holder: "SELECT ID AS connection, USER AS user, HOST AS host, TIME AS seconds FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK('quarry_migrate')",
  },
}
