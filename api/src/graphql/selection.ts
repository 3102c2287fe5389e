import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields a query asks for at `path` below the resolving field (`['edges', 'node', 'image']`),
 * through aliases, fragments and inline fragments (type conditions are not checked: a superset is harmless).
 * Null when the path is not selected at all.
 */
export function fieldsAt(
  fieldNodes: readonly FieldNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  path: readonly string[],
): Set<string> | null {
  let sets: SelectionSetNode[] = fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    const next: SelectionSetNode[] = [];
    for (const field of fieldsOf(sets, fragments)) {
      if (field.name.value === name && field.selectionSet) next.push(field.selectionSet);
    }
    if (next.length === 0) return null;
    sets = next;
  }
  return new Set(fieldsOf(sets, fragments).map((field) => field.name.value));
}

function fieldsOf(sets: SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  for (const set of sets) visit(set, new Set());
  return out;
}
