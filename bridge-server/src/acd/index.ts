/**
 * The ACD's public surface: the engine, its configuration schemas and validator, the Clock binding, Erlang C
 * and business-hours helpers. Everything else in this folder is internal.
 */
export { AcdEngine, type AcdEngineOptions } from './acd-engine.js';
export { AcdTimer } from './acd-timer.js';
export { AcdError, type FieldErrors } from './acd-errors.js';
export type {
  AcdEffect, AgentStateChange, AgentView, CallbackRequest, CallKind, DeflectReason, EndingAction, EnqueueRequest,
  EnqueueResult, QueueStatus, RingFailure, WaitInfo,
} from './acd-types.js';
export type { AcdCallState } from './acd-call-state.js';
export { AWAY_REASONS, agentTransitions, type AgentState, type AwayReason } from './agent-state.js';
export { ROUTING_STRATEGIES, type RoutingStrategy } from './routing-strategy.js';
export {
  agentConfigSchema, businessHoursSchema, deflectionActionSchema, escalationStepSchema, queueConfigSchema,
  type AgentConfig, type AgentConfigInput, type DeflectionAction, type EscalationStep, type QueueConfig,
  type QueueConfigInput,
} from './queue-config.js';
export {
  referencesTo, validateAcdConfig, validateAgent, validateQueue, type AcdConfig, type AcdConfigInput,
  type ValidationContext,
} from './config-validator.js';
export { callbackSlots, isOpenAt, nextOpening, openIntervals, type BusinessHours } from './business-hours.js';
export type { AgentIntervalRow, QueueIntervalRow } from './acd-metrics.js';
export {
  agentsNeeded, averageSpeedOfAnswer, erlangB, erlangC, serviceLevel, trafficErlangs, type StaffingInput,
  type StaffingResult,
} from './erlang-c.js';
