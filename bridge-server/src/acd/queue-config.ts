import { z } from 'zod';
import { AcdError, type FieldErrors } from './acd-errors.js';
import { minutesOf, WEEKDAYS } from './business-hours.js';
import { ROUTING_STRATEGIES } from './routing-strategy.js';
import { isValidTimeZone, parseDateKey } from './zoned-time.js';

/**
 * The shapes of ACD configuration, as zod schemas (CONVENTIONS #6): the REST layer validates request bodies
 * with them, the engine parses every config it is given with them, so defaults live in one place. What a single
 * object cannot know (unknown skills, references to other queues, overflow loops) is checked by
 * `config-validator.ts`.
 */

const name = z.string().trim().min(1).max(100);

export const skillLevelSchema = z.int().min(1, 'levels run from 1 to 10').max(10, 'levels run from 1 to 10');

/** A skill a queue requires, with the minimum level an agent needs. */
export const skillRequirementSchema = z.object({ skill: name, minLevel: skillLevelSchema });

const timeOfDay = z.string().refine((s) => !Number.isNaN(minutesOf(s)), 'expected HH:MM between 00:00 and 24:00');

export const timeRangeSchema = z
  .object({ from: timeOfDay, to: timeOfDay })
  .refine((r) => minutesOf(r.to) > minutesOf(r.from), { message: 'must close after it opens', path: ['to'] });

export const businessHoursSchema = z.object({
  timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone'),
  weekly: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(timeRangeSchema).default([])])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodDefault<z.ZodArray<typeof timeRangeSchema>>
  >),
  holidays: z.array(z.string().refine((s) => parseDateKey(s) !== null, 'expected a date YYYY-MM-DD')).default([]),
});

/**
 * What to do with a call the queue will not hold (after hours, full, wait too long): after Google CCAI
 * Platform's deflections. `queue` moves the call to another queue; the others end the voice call with an
 * alternative the bridge carries out.
 */
export const deflectionActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), text: z.string().trim().min(1).max(1000) }),
  z.object({ type: z.literal('queue'), queueId: name }),
  z.object({ type: z.literal('voicemail'), greeting: z.string().max(1000).optional() }),
  z.object({
    type: z.literal('callback'),
    slotMinutes: z.int().min(5).max(240).default(30),
    horizonDays: z.int().min(1).max(60).default(7),
  }),
  z.object({ type: z.literal('email'), address: z.email() }),
  z.object({ type: z.literal('phone'), number: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number') }),
]);

/**
 * One escalation step (after Twilio TaskRouter's workflow targets with timeouts): once a call has waited
 * `afterSec` in the queue, each required level drops by `relaxLevels` (a requirement relaxed to 0 no longer
 * requires the skill) and agents serving `addQueues` become eligible too.
 */
export const escalationStepSchema = z.object({
  afterSec: z.int().min(1),
  relaxLevels: z.int().min(0).max(10).default(0),
  addQueues: z.array(name).default([]),
});

export const queueConfigSchema = z.object({
  id: name,
  name,
  /** 0–10; each level is a head start of `secondsPerPriorityLevel` for this queue's callers (see routing-key). */
  priority: z.int().min(0).max(10).default(0),
  skills: z.array(skillRequirementSchema).default([]),
  strategy: z.enum(ROUTING_STRATEGIES).default('longest-idle'),
  /** ring-all: at most this many agents ring at once. */
  ringAllMax: z.int().min(1).max(100).default(20),
  ringTimeoutSec: z.int().min(1, 'the ring timeout must be at least 1 second').max(600).default(20),
  wrapUpSec: z.int().min(0, 'wrap-up cannot be negative').max(3600).default(0),
  maxQueueSize: z.int().min(1).nullable().default(null),
  maxWaitSec: z.int().min(1).nullable().default(null),
  overflow: deflectionActionSchema.nullable().default(null),
  serviceLevel: z
    .object({ percent: z.number().gt(0).max(100).default(80), seconds: z.int().min(1).default(20) })
    .prefault({}),
  /** Callers who hang up within this many seconds are short abandons, left out of the abandon figures. */
  abandonThresholdSec: z.int().min(0).default(5),
  businessHours: businessHoursSchema.nullable().default(null),
  afterHours: deflectionActionSchema.nullable().default(null),
  escalation: z.array(escalationStepSchema).default([]),
  /** Handle time (talk + wrap-up) assumed for wait estimates until real calls have been measured. */
  expectedHandleSec: z.number().positive().default(180),
});

export const agentConfigSchema = z.object({
  id: name,
  skills: z.array(z.object({ skill: name, level: skillLevelSchema })).default([]),
  queues: z.array(name).default([]),
});

export type SkillRequirement = z.output<typeof skillRequirementSchema>;
export type DeflectionAction = z.output<typeof deflectionActionSchema>;
export type EscalationStep = z.output<typeof escalationStepSchema>;
export type QueueConfig = z.output<typeof queueConfigSchema>;
export type QueueConfigInput = z.input<typeof queueConfigSchema>;
export type AgentConfig = z.output<typeof agentConfigSchema>;
export type AgentConfigInput = z.input<typeof agentConfigSchema>;

/** zod issues → field errors keyed by dotted path, as `http/validate.ts` reports them. */
export function fieldErrorsOf(error: z.ZodError, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = prefix + (issue.path.join('.') || '(body)');
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Parse with `schema` or throw {@link AcdError.invalid} naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw AcdError.invalid(fieldErrorsOf(r.error));
  return r.data;
}
