/**
 * MySQL / MariaDB DDL differences. Tables are InnoDB in utf8mb4 with the binary collation, so text
 * compares, sorts and is unique by code point as on PostgreSQL and SQLite. A foreign-key cycle is
 * written inline while `FOREIGN_KEY_CHECKS` is off (statements must run on one connection).
 * Indexes are written inside CREATE TABLE: MySQL 8 has no CREATE INDEX IF NOT EXISTS.
 */
import type { DdlHooks } from '../dialect.js'

/** A MySQL string literal: quotes doubled and backslashes escaped (they are escapes by default). */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
}

/** MySQL's DDL hooks. */
export const ddl: DdlHooks = {
  stringLiteral,
  bytesLiteral: (hex) => `X'${hex}'`,
  autoIncrement: { clause: ' AUTO_INCREMENT', notNull: true },
  enumCheck: false,
  inlineIndexes: true,
  tableOptions: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
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
