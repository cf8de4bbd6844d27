import type { CrmAdapter } from './crm-adapter.js';
import { isCrmError } from './crm-error.js';

/**
 * Wraps `adapter` so that every `auth` failure (the CRM refused our credentials: 401/403) is reported through
 * `onAuthFailure`, and waited for, before it is rethrown — so whoever sees the failure (a delivery, the admin's
 * request) already finds the tenant's connection showing "reconnect". Every method of the adapter (contract and
 * capabilities) is wrapped; the error itself passes through unchanged, whatever `onAuthFailure` does.
 */
export function guardAuth<A extends CrmAdapter>(adapter: A, onAuthFailure: (reason: string) => void | Promise<void>): A {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          if (isCrmError(error) && error.kind === 'auth') await Promise.resolve(onAuthFailure(error.message)).catch(() => undefined);
          throw error;
        }
      };
    },
  });
}
