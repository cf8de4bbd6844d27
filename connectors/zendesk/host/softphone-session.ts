/**
 * The softphone's bridge API token, for the top bar's screen-pop call.
 *
 * Reads `SoftphoneController.sessionToken` (`null` while signed out: screen pops then report "no softphone
 * session" instead of calling the bridge).
 */
export function sessionTokenOf(controller: object): string | null {
  const token = (controller as { readonly sessionToken?: unknown }).sessionToken;
  return typeof token === 'string' && token !== '' ? token : null;
}
