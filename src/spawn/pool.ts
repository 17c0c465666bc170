// At most `limit` jobs at once, the rest queued in order. Reports every transition so the
// caller can show live progress and persist state.

export type PoolEvent<K> = { kind: 'start' | 'done'; key: K; running: K[]; queued: K[]; ok?: boolean };

export async function runPool<K, R>(
  keys: K[],
  limit: number,
  job: (key: K) => Promise<R>,
  onEvent?: (e: PoolEvent<K>) => void,
  isOk: (r: R) => boolean = () => true,
): Promise<Map<K, R>> {
  const queued = [...keys];
  const running = new Set<K>();
  const results = new Map<K, R>();
  const width = Math.max(1, Math.min(limit, keys.length));
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let k = queued.shift(); k !== undefined; k = queued.shift()) {
        running.add(k);
        onEvent?.({ kind: 'start', key: k, running: [...running], queued: [...queued] });
        const r = await job(k);
        results.set(k, r);
        running.delete(k);
        onEvent?.({ kind: 'done', key: k, running: [...running], queued: [...queued], ok: isOk(r) });
      }
    }),
  );
  return results;
}
