/** The hostile texts the reliability suite writes as values and names. */
import fc from 'fast-check'

const PIECES = ["'", '"', '`', '\\', ';', '--', '/*', '*/', '$1', '?', ':x', '%', '_', ' ', 'a', 'Z', '\n', '\t', '𝄞', 'é', ')', '(', '[', ']', '{', '}', '.', ',', '#', '\\0']
const CLASSICS = ["'; DROP TABLE t; --", "' OR '1'='1", '" OR ""="', '`; SELECT 1; --', "\\'; SELECT 1; --", '$$; SELECT 1; $$', "') UNION SELECT 1 --", '*/ SELECT 1 /*']

/** A hostile text of at most `units` pieces (each at most 4 bytes: within PostgreSQL's 63-byte names at 12). */
export const hostile = (units: number): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...CLASSICS.filter((c) => c.length <= units * 2)), fc.string({ unit: fc.constantFrom(...PIECES), minLength: 1, maxLength: units }))

/** Only Basic Multilingual Plane characters (all MySQL/MariaDB identifiers can hold). */
export const isBmp = (text: string): boolean => !/[\u{10000}-\u{10FFFF}]/u.test(text)
