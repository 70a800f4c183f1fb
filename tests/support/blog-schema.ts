/** The tour's blog schema, shared by the behaviour tests (the same one the demo runs). */
export * from '../../examples/blog-schema'
