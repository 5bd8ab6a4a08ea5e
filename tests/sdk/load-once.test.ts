import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOnce } from '../../src/sdk/load-once.js';

test('a lazily loaded chunk that failed once is loaded again on the next call, and kept once it has loaded', async () => {
  let calls = 0;
  const load = loadOnce(async () => {
    calls++;
    if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return { method: () => 'ok' };
  });
  await assert.rejects(load(), /dynamically imported/);
  const first = await load(); // the citizen's 重试
  assert.equal(first.method(), 'ok');
  assert.equal(await load(), first, 'loaded once, kept');
  assert.equal(calls, 2);
});

test('calls while the chunk is loading share one load', async () => {
  let calls = 0;
  let release!: () => void;
  const load = loadOnce(() => {
    calls++;
    return new Promise<string>((r) => (release = () => r('chunk')));
  });
  const [a, b] = [load(), load()];
  release();
  assert.deepEqual(await Promise.all([a, b]), ['chunk', 'chunk']);
  assert.equal(calls, 1);
});
