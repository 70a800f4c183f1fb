/** Runtime keys of table objects; `Symbol.for` so two copies of the package agree. */
export const TABLE: unique symbol = Symbol.for('quarry.table')
/** The alias a table object is read through (absent for the table itself). */
export const ALIAS: unique symbol = Symbol.for('quarry.alias')
