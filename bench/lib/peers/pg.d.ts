/** pg ships no types (they are @types/pg); the benchmarks need only its Pool, loosely. */
declare module 'pg'
