/**
 * Topological order with cycles: Tarjan's strongly connected components. An edge `a → b` means
 * "a depends on b"; components come out dependencies first, and a component is cyclic when it
 * has several members or a member that depends on itself.
 */

/** A group of nodes that must be ordered together. */
export interface Component<TNode> {
  readonly nodes: readonly TNode[]
  readonly cyclic: boolean
}

/** Components of the graph, each after every component it depends on; ties keep input order. */
export function sortComponents<TNode>(nodes: readonly TNode[], dependsOn: (node: TNode) => readonly TNode[]): Component<TNode>[] {
  const index = new Map<TNode, number>()
  const low = new Map<TNode, number>()
  const onStack = new Set<TNode>()
  const stack: TNode[] = []
  const out: Component<TNode>[] = []
  const known = new Set(nodes)
  let next = 0

  function visit(node: TNode): void {
    index.set(node, next)
    low.set(node, next)
    next++
    stack.push(node)
    onStack.add(node)
    let selfLoop = false
    for (const dep of dependsOn(node)) {
      if (!known.has(dep)) continue
      if (dep === node) selfLoop = true
      if (!index.has(dep)) {
        visit(dep)
        low.set(node, Math.min(low.get(node)!, low.get(dep)!))
      } else if (onStack.has(dep)) {
        low.set(node, Math.min(low.get(node)!, index.get(dep)!))
      }
    }
    if (low.get(node) === index.get(node)) {
      const members: TNode[] = []
      let member: TNode
      do {
        member = stack.pop()!
        onStack.delete(member)
        members.push(member)
      } while (member !== node)
      members.reverse()
      out.push({ nodes: members, cyclic: members.length > 1 || selfLoop })
    }
  }

  for (const node of nodes) if (!index.has(node)) visit(node)
  return out
}
