// Is a process of this machine still there? Platform layer: imports nothing of ours.

/**
 * True while `pid` names a live process. EPERM means alive: the process exists, it just is not
 * ours to signal (another user's, or one in another container sharing the pid namespace).
 */
export function pidAlive(pid: number | null | undefined): boolean {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
