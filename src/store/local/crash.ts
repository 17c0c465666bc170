// Test-only crash injection: `JITP_CRASH_AT=<step>` makes the process SIGKILL itself when a
// state change reaches that step, so tests can prove every step leaves a recoverable store.
// Read once at load; costs one string compare per step otherwise.
const at = process.env.JITP_CRASH_AT;

export type CrashStep =
  'locked' | 'log-torn' | 'log-appended' | 'temp-written' | 'renamed' | 'before-unlock' | 'recover-locked';
export const CRASH_STEPS: CrashStep[] = [
  'locked',
  'log-torn',
  'log-appended',
  'temp-written',
  'renamed',
  'before-unlock',
];

export function crashPoint(step: CrashStep): void {
  if (at === step) process.kill(process.pid, 'SIGKILL');
}
export const crashArmed = (step: CrashStep): boolean => at === step;
