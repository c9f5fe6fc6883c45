/** Visiting the nodes of a formula tree without recursion (trees from hostile input can be deep). */
import type { FormulaNode } from './ast';

export function childrenOf(node: FormulaNode): readonly FormulaNode[] {
  switch (node.type) {
    case 'call':
      return node.args;
    case 'invoke':
      return [node.callee, ...node.args];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    default:
      return [];
  }
}

/** The node with each child replaced by `map(child)` (the node itself when it has no children). */
export function mapChildren(node: FormulaNode, map: (child: FormulaNode) => FormulaNode): FormulaNode {
  switch (node.type) {
    case 'call':
      return { ...node, args: node.args.map(map) };
    case 'invoke':
      return { ...node, callee: map(node.callee), args: node.args.map(map) };
    case 'unary':
      return { ...node, operand: map(node.operand) };
    case 'binary':
      return { ...node, left: map(node.left), right: map(node.right) };
    default:
      return node;
  }
}

/** Calls `visit` on every node; returning true from it stops the walk. Returns whether it was stopped. */
export function someNode(root: FormulaNode, visit: (node: FormulaNode) => boolean): boolean {
  const stack: FormulaNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node)) return true;
    // One push per child: spreading a call's 100,000 arguments would overflow the stack.
    for (const child of childrenOf(node)) stack.push(child);
  }
  return false;
}
