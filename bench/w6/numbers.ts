/** W6's table: generated rows of five mixed columns, one of them a timestamp to decode. */
import { defineSchema } from '@quarry/core'

export const schema = defineSchema(
  {
    numbers: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        label: { type: 'varchar', length: 40 },
        amount: { type: 'double' },
        flag: { type: 'boolean' },
        createdAt: { type: 'timestamp' },
      },
    },
  },
  { casing: 'snake_case' },
)

export const { numbers } = schema
