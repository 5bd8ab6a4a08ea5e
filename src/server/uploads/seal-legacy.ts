import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Sealer } from '../crypto.js';
import type { Sql } from '../db/sql.js';
import { fileKeyText, isSealedFile, newFileKeyFor, parseFileKey, readSealedFile, writeSealedFile } from './cipher.js';
import { fileKeyContext } from './repo.js';

/**
 * Encrypts finished attachments stored before evidence was encrypted at rest (their row has no file key), a batch
 * per call; `cleanup()` runs it, so an upgraded server seals its old files within a few runs. Order: sealed copy,
 * then the key in the row (only if still none), then the copy replaces the plain file. A crash between the last
 * two leaves the plain file beside its sealed copy (`readEvidence` refuses a plain file whose row has a key);
 * the next run puts the copy in place (`recoverCopies`).
 */
export async function sealLegacyFiles(deps: { sql: Sql; sealer: Sealer; readyDir: string }, batch = 20): Promise<number> {
  const { sql, sealer, readyDir } = deps;
  await recoverCopies(deps);
  const { rows } = await sql.query<{ id: string; name: string | null }>(
    `SELECT id, file AS name FROM attachments WHERE status = 'ready' AND file_key_enc IS NULL ORDER BY id LIMIT $1`,
    [batch],
  );
  let sealed = 0;
  for (const { id, name } of rows) {
    const file = path.join(readyDir, name ?? id);
    const head = await readHead(file);
    if (head === undefined) continue; // no file (removed meanwhile)
    if (isSealedFile(head)) continue;
    const key = newFileKeyFor(sealer.cipher);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeSealedFile(tmp, key, createReadStream(file) as AsyncIterable<Buffer>);
    // Only while the row still has this id and file (a report taking it meanwhile gives it a new id: next run).
    const { rowCount } = await sql.query(
      `UPDATE attachments SET file_key_enc = $2 WHERE id = $1 AND file IS NOT DISTINCT FROM $3 AND file_key_enc IS NULL`,
      [id, sealer.seal(fileKeyText(key), fileKeyContext(id)), name],
    );
    if (rowCount === 1) {
      await fs.rename(tmp, file);
      sealed++;
    } else await fs.rm(tmp, { force: true }); // another instance sealed it first
  }
  return sealed;
}

/** `<file>.<hex>.tmp`: a sealed copy being written (here or by the finisher), or left by a crash. */
const TMP = /^([A-Za-z0-9_-]{22})\.[0-9a-f]{12}\.tmp$/;

/**
 * Puts sealed copies left by a crash in place (the row has a key, the file is still plain, and the copy opens with
 * that key); removes other copies once they are an hour old (never one still being written).
 */
async function recoverCopies(deps: { sql: Sql; sealer: Sealer; readyDir: string }): Promise<void> {
  const copies = (await fs.readdir(deps.readyDir)).filter((name) => TMP.test(name));
  for (const name of copies) {
    const stored = TMP.exec(name)![1]!;
    const copy = path.join(deps.readyDir, name);
    const file = path.join(deps.readyDir, stored);
    const { rows } = await deps.sql.query<{ id: string; file_key_enc: string | null }>(
      `SELECT id, file_key_enc FROM attachments WHERE file = $1 OR (file IS NULL AND id = $1)`,
      [stored],
    );
    const id = rows[0]?.id ?? stored;
    const sealedKey = rows[0]?.file_key_enc;
    const plain = await readHead(file).then((head) => head !== undefined && !isSealedFile(head));
    if (sealedKey && plain) {
      const key = parseFileKey(deps.sealer.open(sealedKey, fileKeyContext(id)));
      const opens = await (async () => {
        for await (const _ of readSealedFile(copy, key)) void _;
        return true;
      })().catch(() => false);
      if (opens) {
        await fs.rename(copy, file);
        continue;
      }
    }
    const age = await fs.stat(copy).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > 3600_000) await fs.rm(copy, { force: true });
  }
}

async function readHead(file: string): Promise<Uint8Array | undefined> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const head = new Uint8Array(16);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
