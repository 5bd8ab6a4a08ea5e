/** The whole anonymous report on henan.html, driven as a citizen would, and the check that it was really filed. */
import type { Browser } from 'playwright-core';
import type { RunningDemo } from '../demo-server.js';
import type { ManualClock } from '../../tests/support/manual-clock.js';
import { classifier, openPage, type Load } from './page-load.js';

export interface FlowRun extends Load {
  reportCode: string;
  /** JS heap on the receipt, every chunk loaded. */
  heapBytes: number;
  /** Bytes of the photo as stored (what the page uploaded, after its own metadata stripping). */
  sentBytes: number;
}

/** A small real JPEG (160 × 120), from Chromium's own encoder. */
export async function smallJpeg(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    const dataUrl = (await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 160;
      canvas.height = 120;
      const g = canvas.getContext('2d')!;
      const gradient = g.createLinearGradient(0, 0, 160, 120);
      gradient.addColorStop(0, '#8a6d3b');
      gradient.addColorStop(1, '#2f4f4f');
      g.fillStyle = gradient;
      g.fillRect(0, 0, 160, 120);
      g.fillStyle = '#c0392b';
      g.fillRect(40, 30, 80, 60);
      return canvas.toDataURL('image/jpeg', 0.8);
    })) as string;
    return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  } finally {
    await page.close();
  }
}

export async function runFlow(browser: Browser, demo: RunningDemo, clock: ManualClock, jpeg: Buffer): Promise<FlowRun> {
  const tab = await openPage(browser, { bypassCSP: false });
  const { page } = tab;
  try {
    await page.clock.install();
    await page.goto(new URL('/henan.html', demo.url).href);

    // 1. Notice: once shown (countdown running) and quiet (the receipt is open by then), 15 s pass on both clocks.
    const accept = page.locator('aqjb-intake aqjb-notice-gate [part~="accept-button"]');
    await accept.waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    clock.advance(15_000);
    await page.clock.fastForward(15_000);
    await page.locator('aqjb-intake aqjb-notice-gate [part~="accept-button"][aria-disabled="false"]').waitFor({ timeout: 60_000 });
    await accept.click();

    // 2. Anonymous.
    await page.locator('aqjb-intake input[name="mode"][value="anonymous"]').check();
    await page.locator('aqjb-intake [data-step="mode"] [part~="continue-button"]').click();

    // 3. The place, from the list view (the map's geometry is excluded from the bytes either way).
    const picker = page.locator('aqjb-intake aqjb-region-picker');
    await picker.getByRole('button', { name: '在列表中选' }).click();
    for (const name of ['郑州市', '金水区']) {
      await picker.locator('[part~="region"]', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) }).click();
    }
    await page.waitForFunction(
      () => (document.querySelector('aqjb-intake')?.shadowRoot?.querySelector('aqjb-region-picker') as HTMLInputElement | null)?.value === '410105',
      undefined,
      { polling: 50, timeout: 60_000 },
    );
    await page.locator('aqjb-intake [data-step="region"] [part~="continue-button"]').click();

    // 4. The report, with one photo.
    const form = page.locator('aqjb-intake aqjb-report-form');
    await form.locator('[id="industry"] option[value="chemical"]').waitFor({ state: 'attached', timeout: 60_000 });
    await form.locator('[id="subject.name"]').fill('某某化工有限公司');
    await form.locator('[id="subject.address"]').fill('郑州市金水区某路 1 号');
    await form.locator('[id="industry"]').selectOption('chemical');
    await form.locator('input[data-type="major-hazard"]').check();
    await form.locator('[id="description"]').fill('储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。');
    await form.locator('aqjb-evidence-upload #pick-files').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await form.locator('aqjb-evidence-upload [part~="file"][data-status="done"]').waitFor({ timeout: 60_000 });
    await form.locator('[part~="continue-button"]').click();

    // 5. Review, submit, receipt.
    await page.locator('aqjb-intake [part~="submit-button"]').click();
    const codeEl = page.locator('aqjb-intake [part~="report-code"]');
    await codeEl.waitFor({ timeout: 60_000 });
    const reportCode = ((await codeEl.textContent()) ?? '').replace(/[^0-9A-Z]/gi, '').toUpperCase();

    const resources = await tab.resources(classifier(demo));
    const heapBytes = await tab.heap();
    return { readyMs: NaN, heapBytes, resources, sentBytes: 0, reportCode };
  } finally {
    await tab.context.close();
  }
}

/**
 * The flow really filed what it claims: one anonymous report in 金水区 with one attachment. Returns the problem, or
 * the stored photo's size (Playwright cannot see a Blob request body, so the upload is measured where it landed).
 */
export async function checkReport(demo: RunningDemo, code: string): Promise<{ problem?: string; uploaded: number }> {
  const { rows } = await demo.api.sql.query<{ mode: string; region_code: string; n: number | string; bytes: number | string | null }>(
    `SELECT mode, region_code, (SELECT count(*) FROM attachments a WHERE a.report_id = r.code) AS n,
            (SELECT sum(size) FROM attachments a WHERE a.report_id = r.code) AS bytes
       FROM reports r WHERE code = $1`,
    [code],
  );
  const row = rows[0];
  if (!row) return { problem: `report ${code} not found in the database`, uploaded: 0 };
  const uploaded = Number(row.bytes ?? 0);
  if (row.mode !== 'anonymous' || row.region_code !== '410105' || Number(row.n) !== 1) {
    return { problem: `report ${code}: mode ${row.mode}, region ${row.region_code}, ${row.n} attachments (expected anonymous, 410105, 1)`, uploaded };
  }
  return { uploaded };
}
