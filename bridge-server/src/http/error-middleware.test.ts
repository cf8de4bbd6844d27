import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, StoreError } from '../errors.js';
import { CrmError } from '../crm/crm-error.js';
import { errorMiddleware } from './error-middleware.js';

const logged: string[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  const app = express();
  const routes: Record<string, () => never> = {
    'bad-gateway': () => {
      throw HttpError.badGateway('Zendesk could not list its agents: Zendesk answered 500', CrmError.retryable('x', { status: 500 }));
    },
    conflict: () => {
      throw HttpError.conflict('Zendesk refused the credentials: reconnect Zendesk (401)');
    },
    store: () => {
      throw new StoreError('STORE_FAILED', 'insert into agents failed: password_hash=…');
    },
    crm: () => {
      throw CrmError.retryable('Zendesk answered 500 on GET /api/v2/users.json');
    },
    plain: () => {
      throw new Error('TypeError deep inside');
    },
  };
  for (const [name, fail] of Object.entries(routes)) app.get(`/${name}`, () => fail());
  app.use(errorMiddleware({ error: (_obj, msg) => void logged.push(msg) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function get(path: string) {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, json: (await res.json()) as { error: { code: string; message: string } } };
}

describe('errorMiddleware', () => {
  it('answers 502 with the message of a bad-gateway error, written for the caller', async () => {
    expect(await get('/bad-gateway')).toEqual({
      status: 502,
      json: { error: { code: 'HTTP_BAD_GATEWAY', message: 'Zendesk could not list its agents: Zendesk answered 500' } },
    });
  });

  it('answers 409 with the message of a conflict', async () => {
    expect(await get('/conflict')).toEqual({
      status: 409,
      json: { error: { code: 'CONFLICT', message: 'Zendesk refused the credentials: reconnect Zendesk (401)' } },
    });
  });

  it('still hides the message of every other server error behind "internal error", and logs it', async () => {
    logged.length = 0;
    expect(await get('/store')).toEqual({ status: 500, json: { error: { code: 'STORE_FAILED', message: 'internal error' } } });
    expect(await get('/crm')).toEqual({ status: 500, json: { error: { code: 'CRM_FAILED', message: 'internal error' } } });
    expect(await get('/plain')).toEqual({ status: 500, json: { error: { code: 'INTERNAL', message: 'internal error' } } });
    expect(logged).toEqual(['request failed', 'request failed', 'unexpected error']);
  });
});
