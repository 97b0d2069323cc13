// The organisations of a subtree (a flat list with parent ids) as a forest: the roots are those
// whose parent is not in the list (the caller's own organisation), children sorted by code.
export interface OrgLike {
  id: string;
  code: string;
  parent_id: string | null;
}

export interface OrgNode<O extends OrgLike> {
  org: O;
  children: OrgNode<O>[];
}

export function orgForest<O extends OrgLike>(orgs: readonly O[]): OrgNode<O>[] {
  const nodes = new Map(orgs.map((org) => [org.id, { org, children: [] as OrgNode<O>[] }]));
  const roots: OrgNode<O>[] = [];
  for (const node of nodes.values()) {
    const parent = node.org.parent_id ? nodes.get(node.org.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: OrgNode<O>[]) => {
    list.sort((a, b) => a.org.code.localeCompare(b.org.code));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}
