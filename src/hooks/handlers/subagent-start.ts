import type { HookHandler } from '../runtime/contract.js';
import { recordSubagent } from './subagent-events.js';

export const handler: HookHandler = (input, env) => recordSubagent(input, env, 'subagent-start');
