import { randomInt } from 'node:crypto';
import { SambungError } from '../errors.js';
import type { Queue } from './queue-repo.js';
import type { Store } from './store.js';
import type { Tenant } from './tenant-repo.js';

export interface DemoSeedOptions {
  /**
   * Passwords for agents created now, by username (`alice`, `bob`). The entry point passes fixed defaults
   * (`alice-demo`, …) or values from its configuration so the printed passwords stay true on every start; any
   * agent without one gets a random readable password.
   */
  passwords?: Readonly<Partial<Record<DemoUsername, string>>>;
}

export interface DemoSeed {
  tenant: Tenant;
  queue: Queue;
  /** `password` is null for an agent that already existed: its password is whatever it was set to then. */
  agents: { username: DemoUsername; displayName: string; password: string | null }[];
}

export type DemoUsername = 'alice' | 'bob' | 'admin';

export const DEMO_TENANT = { slug: 'demo', name: 'Demo Company', sipDomain: 'demo.sambung.local' } as const;
export const DEMO_QUEUE = { name: 'sales', displayName: 'Sales', mode: 'form', ringTimeoutSec: 20 } as const;
export const DEMO_SKILLS = ['english', 'bahasa'] as const;
const DEMO_AGENTS: readonly {
  username: DemoUsername;
  displayName: string;
  role: 'agent' | 'admin';
  skills: { skill: string; level: number }[];
  inQueue: boolean;
}[] = [
  { username: 'alice', displayName: 'Alice Agent', role: 'agent', skills: [{ skill: 'english', level: 8 }, { skill: 'bahasa', level: 5 }], inQueue: true },
  { username: 'bob', displayName: 'Bob Agent', role: 'agent', skills: [{ skill: 'english', level: 5 }, { skill: 'bahasa', level: 9 }], inQueue: true },
  { username: 'admin', displayName: 'Demo Admin', role: 'admin', skills: [], inQueue: false },
];

/**
 * Creates the demo tenant, its `sales` queue and agents alice and bob serving it — each only when missing, so a
 * second run changes nothing and never resets a password. Safe against another node seeding at the same time: a
 * `CONFLICT` on create means the other one won, and its row is used.
 */
export async function seedDemo(store: Store, options: DemoSeedOptions = {}): Promise<DemoSeed> {
  const { value: tenant } = await findOrCreate(
    () => store.tenants.findBySlug(DEMO_TENANT.slug),
    () => store.tenants.create(DEMO_TENANT),
  );
  const { value: queue } = await findOrCreate(
    () => store.queues.findByName(tenant.id, DEMO_QUEUE.name),
    () => store.queues.create({ tenantId: tenant.id, ...DEMO_QUEUE }),
  );
  const agents: DemoSeed['agents'] = [];
  await store.skills.add(tenant.id, DEMO_SKILLS);
  for (const { username, displayName, role, skills, inQueue } of DEMO_AGENTS) {
    const password = options.passwords?.[username] ?? readablePassword();
    const { created } = await findOrCreate(
      () => store.agents.findByUsername(tenant.id, username),
      () =>
        store.agents.create({
          tenantId: tenant.id,
          username,
          displayName,
          password,
          realm: tenant.sipDomain,
          queueIds: inQueue ? [queue.id] : [],
          role,
          skills,
        }),
    );
    agents.push({ username, displayName, password: created ? password : null });
  }
  return { tenant, queue, agents };
}

async function findOrCreate<T>(
  find: () => Promise<T | null>,
  create: () => Promise<T>,
): Promise<{ value: T; created: boolean }> {
  const found = await find();
  if (found !== null) return { value: found, created: false };
  try {
    return { value: await create(), created: true };
  } catch (error) {
    if (!(error instanceof SambungError && error.code === 'CONFLICT')) throw error;
    const raced = await find();
    if (raced === null) throw error;
    return { value: raced, created: false };
  }
}

/** Letters and digits without look-alikes (0/O, 1/l/I): 3 groups of 4 from 31 symbols ≈ 59 bits. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function readablePassword(): string {
  const group = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}
