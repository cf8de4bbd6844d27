/**
 * `client.get(path)` on the fake page: dotted paths into the data Zendesk exposes to an instance
 * (`currentUser.locale`, `ticket.requester.id`, `instances`, …). Undefined means "no such path", which the
 * framework reports per path as an error.
 */

export function resolvePath(roots: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path === '' || path.startsWith('.') || path.endsWith('.')) return undefined;
  let node: unknown = roots;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
