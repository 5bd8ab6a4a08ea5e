/**
 * The one throwaway PostgreSQL cluster, for `npm test` (scripts/test.mjs) and `npm run bench:server`: initdb in a
 * temp dir (as the postgres user when root, since initdb refuses root), trust auth, listening on 127.0.0.1 only, on
 * a free port, removed again by `stop()`. Durability stays at PostgreSQL's defaults unless `settings` say otherwise.
 *
 * TypeScript so that it is type-checked with the rest; scripts/test.mjs stays plain Node and loads it through tsx's
 * `tsImport`.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** The newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin), or undefined. */
export function pgBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

export interface ThrowawayPostgres {
  /** `postgres://aqjb@127.0.0.1:<port>/postgres`; the `aqjb` role is the superuser, trust auth. */
  url: string;
  /** Waits (≤ 3 s) until no other client is connected, so stopping the cluster terminates no live session. */
  idle(): Promise<void>;
  /** Stops the cluster and removes its directory; safe to call twice. */
  stop(): void;
}

export interface PostgresOptions {
  /** Server settings, `name=value` each, applied in order (a later one wins), e.g. `fsync=off`. */
  settings?: readonly string[];
  /** Prefix of the temp directory, so a leftover one says who made it. */
  prefix?: string;
}

export async function startThrowawayPostgres({ settings = [], prefix = 'aqjb-pg-' }: PostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = pgBinDir();
  if (!bin) {
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install them with `apt-get install -y postgresql`');
  }
  // Checked before anything is created: a setting goes into pg_ctl's option string.
  for (const s of settings) if (!/^[a-z_.]+=[A-Za-z0-9_.-]+$/.test(s)) throw new Error(`PostgreSQL setting must be name=value: ${s}`);
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const asPostgres = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const cmd = path.join(bin, tool);
    const r = asPostgres
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr || r.stdout || r.error?.message}`);
  };
  const data = path.join(dir, 'data');
  let started = false;
  const stop = () => {
    try {
      if (started) run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      started = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  let port: number;
  try {
    if (asPostgres) {
      const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (uid.status !== 0) throw new Error('running as root but there is no postgres user: apt-get install -y postgresql');
      chownSync(dir, Number(uid.stdout), Number(gid.stdout));
    }
    run('initdb', ['-D', data, '-U', 'aqjb', '--auth=trust', '-E', 'UTF8', '--no-locale']);
    port = await freePort();
    const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', ...settings.map((s) => `-c ${s}`)].join(' ');
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', options, 'start']);
    started = true;
  } catch (error) {
    stop();
    throw error;
  }
  const url = `postgres://aqjb@127.0.0.1:${port}/postgres`;
  const idle = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const deadline = Date.now() + 3000; Date.now() < deadline; await sleep(50)) {
        const { rows } = await client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
        );
        if (!rows[0]?.n) break;
      }
    } finally {
      await client.end();
    }
  };
  return { url, idle, stop };
}
