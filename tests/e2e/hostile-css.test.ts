/**
 * The intake on a legacy portal with a hostile stylesheet (demo/hostile.html + demo/hostile.css): nothing leaks in
 * (the first screen and the form look the same with and without the stylesheet) and nothing leaks out (the portal's
 * own elements keep their styles). Same page both ways: the "without" run answers hostile.css with an empty file.
 * In every engine, each compared with itself.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { Shots, forEachEngine, until, type E2E, type Engine, type Page } from './support/harness.js';
import { ACCEPT, chooseMode, chooseRegion, field, passNotice, waitForStep } from './support/intake.js';

const VIEWPORT = { width: 1280, height: 900 };
/**
 * Where the widget sits and how wide it is are the portal's business: both runs put it at the page's top left, 640px
 * wide (CSSOM, which the CSP allows), so that screenshots are comparable pixel for pixel (sub-pixel offsets change
 * anti-aliasing), with a white margin of its own so that no edge of the widget's drawing is the image's edge.
 */
const placeHost = (page: Page) =>
  page.evaluate(() => {
    const style = document.querySelector<HTMLElement>('aqjb-intake')!.style;
    style.position = 'absolute';
    style.left = '0';
    style.top = '0';
    style.width = '640px';
    style.margin = '0';
    style.padding = '8px';
    style.background = '#fff';
  });

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The strips along the right edge of the widget's scroll boxes (the notice), where the engine draws its scroll
 * indicator. WebKitGTK's is an overlay that shows when the content changes and fades on a timer of its own, not the
 * page's: in the same run it was drawn in one screenshot and faded in the other. Only the strip is left out, 12 px
 * inside the box's border, where the box's padding keeps the widget's own drawing away.
 */
const scrollStrips = (page: Page): Promise<Rect[]> =>
  page.evaluate(() => {
    const strips: { x: number; y: number; width: number; height: number }[] = [];
    const roots: ShadowRoot[] = [document.querySelector('aqjb-intake')!.shadowRoot!];
    for (let root = roots.pop(); root; root = roots.pop()) {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) roots.push(el.shadowRoot);
        const style = getComputedStyle(el);
        if (!/auto|scroll/.test(style.overflowY) || el.scrollHeight <= el.clientHeight) continue;
        const box = el.getBoundingClientRect();
        const right = box.right - parseFloat(style.borderRightWidth);
        strips.push({ x: Math.floor(right - 12), y: Math.floor(box.top), width: 12, height: Math.ceil(box.height) });
      }
    }
    return strips;
  });

/** Paints the rectangles white. */
function blank(image: PNG, rects: Rect[]): void {
  for (const r of rects) {
    for (let y = Math.max(0, r.y); y < Math.min(image.height, r.y + r.height); y++) {
      for (let x = Math.max(0, r.x); x < Math.min(image.width, r.x + r.width); x++) image.data.fill(255, (y * image.width + x) * 4, (y * image.width + x) * 4 + 4);
    }
  }
}

/**
 * Pixels that differ between two screenshots, anti-aliasing left out (pixelmatch's detector, at its default colour
 * threshold). WebKitGTK anti-aliases text and rounded corners differently when the page around the widget is
 * composited differently: with the legacy stylesheet, 1,092 (notice) and 16,927 (form) pixels differed, in blocks
 * along its 512 px tiles, while every computed style and size inside the widget was equal; none of them was more
 * than anti-aliasing. A property that leaked in (a colour, a font, a size) changes whole glyphs and fills, which
 * this counts. Scroll indicators are left out (`scrollStrips`). The difference image is written beside the screenshots.
 */
function visibleDifferences(a: Buffer, b: Buffer, out: string, masks: Rect[]): number {
  const [x, y] = [PNG.sync.read(a), PNG.sync.read(b)];
  if (x.width !== y.width || x.height !== y.height) return Infinity;
  for (const image of [x, y]) blank(image, masks);
  const diff = new PNG({ width: x.width, height: x.height });
  const n = pixelmatch(x.data, y.data, diff.data, x.width, x.height);
  if (n) writeFileSync(out, PNG.sync.write(diff));
  return n;
}

const PROPS = [
  'font-family',
  'font-size',
  'font-weight',
  'line-height',
  'color',
  'letter-spacing',
  'word-spacing',
  'text-align',
  'text-indent',
  'box-sizing',
  'display',
  'float',
  'width',
  'height',
  'padding-top',
  'padding-left',
  'margin-top',
  'margin-left',
  'border-top-width',
  'border-top-style',
  'border-top-color',
  'background-color',
  'list-style-type',
];

/** Paths through shadow roots, outermost first. */
const NOTICE_PARTS: string[][] = [
  ['aqjb-intake', '[part~="steps"]'],
  ['aqjb-intake', '[part~="steps"] li'],
  ['aqjb-intake', 'aqjb-notice-gate', '[part~="title"]'],
  ['aqjb-intake', 'aqjb-notice-gate', '[part~="body"] h3'],
  ['aqjb-intake', 'aqjb-notice-gate', '[part~="body"] p'],
  ['aqjb-intake', 'aqjb-notice-gate', '[part~="body"] ol'],
  ['aqjb-intake', 'aqjb-notice-gate', '[part~="body"] li'],
  ['aqjb-intake', 'aqjb-notice-gate', '[part~="accept-button"]'],
];
const FORM_PARTS: string[][] = [
  ['aqjb-intake', '[data-step="form"] [data-step-heading]'],
  ['aqjb-intake', 'aqjb-report-form', 'p.intro'],
  ['aqjb-intake', 'aqjb-report-form', 'h3'],
  ['aqjb-intake', 'aqjb-report-form', 'label[for="subject.name"]'],
  ['aqjb-intake', 'aqjb-report-form', '[id="subject.name"]'],
  ['aqjb-intake', 'aqjb-report-form', '.hint'],
  ['aqjb-intake', 'aqjb-report-form', '[id="industry"]'],
  ['aqjb-intake', 'aqjb-report-form', 'fieldset legend'],
  ['aqjb-intake', 'aqjb-report-form', 'input[data-type="violation"]'],
  ['aqjb-intake', 'aqjb-report-form', '[id="description"]'],
  ['aqjb-intake', 'aqjb-report-form', '[part~="continue-button"]'],
  ['aqjb-intake', 'aqjb-report-form', 'aqjb-evidence-upload', '[part~="drop-zone"]'],
  ['aqjb-intake', 'aqjb-report-form', 'aqjb-evidence-upload', 'label[for="keep-location"]'],
];
const HOST_PAGE = ['body', 'h1', '#host-h2', '#host-p', '#host-hidden', '#site-search', '#host-button', 'label[for="site-search"]', '.side li', '.side a'];

type Styles = Record<string, Record<string, string> | null>;

/** Computed styles of elements found by shadow paths (or plain selectors in the document). */
const stylesOf = (page: Page, paths: string[][]): Promise<Styles> =>
  page.evaluate(
    (paths, props) => {
      const out: Record<string, Record<string, string> | null> = {};
      for (const path of paths) {
        let el: Element | null = null;
        for (const step of path) {
          const scope: ParentNode = el ? (el.shadowRoot ?? el) : document;
          el = scope.querySelector(step);
          if (!el) break;
        }
        const style = el ? getComputedStyle(el) : null;
        out[path.join(' >> ')] = style ? Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)])) : null;
      }
      return out;
    },
    paths,
    PROPS,
  );

/** Where the portal puts the widget is its business; its size is the widget's. */
const sizeOf = (page: Page) =>
  page.evaluate(() => {
    const { width, height } = document.querySelector('aqjb-intake')!.getBoundingClientRect();
    return { width, height };
  });

/**
 * The element at the top left, whole pixel rows only: a fractional last row blends in the portal's own background,
 * which is not the widget's.
 */
const shootHost = async (shots: Shots, page: Page, step: string) => {
  await restPointer(page);
  const { width, height } = await sizeOf(page);
  return shots.take(page, step, { clip: { x: 0, y: 0, width, height: Math.floor(height) } });
};

/**
 * Puts the pointer where the widget can never be: a real click on a small box fixed at the viewport's top right, right
 * of the 640 px widget. Otherwise the pointer rests where the last click was, and whatever the next step lays out
 * under it takes the hover look — WebKitGTK drew the first problem-type check box with its darker hover border in one
 * shot of two, as it updates hover under a still pointer a little after the layout. A click updates the hover state
 * as part of the click itself, so nothing is left to wait for (moving the pointer with a WebDriver action did not:
 * on a quiet machine WebKit kept the old hover state).
 */
async function restPointer(page: Page): Promise<void> {
  await page.evaluate(() => {
    if (document.getElementById('pointer-rest')) return;
    const rest = document.createElement('div');
    rest.id = 'pointer-rest';
    Object.assign(rest.style, { position: 'fixed', top: '0', right: '0', width: '24px', height: '24px' });
    document.body.append(rest);
  });
  await page.click(['#pointer-rest']);
}

interface Run {
  notice: { styles: Styles; png: Buffer; box: { width: number; height: number }; strips: Rect[] };
  form: { styles: Styles; png: Buffer; box: { width: number; height: number }; strips: Rect[] };
  host: Styles;
  documentStyles: { sheets: string[]; adopted: number; styleElements: number };
}

type Variant = 'hostile' | 'plain' | 'no-widget';

async function open(e2e: E2E, variant: Variant): Promise<Page> {
  const page = await e2e.newPage({ viewport: VIEWPORT });
  e2e.pages.answer = (path) => {
    if (variant === 'plain' && path === '/hostile.css') return new Response('', { headers: { 'content-type': 'text/css' } });
    // The script never arrives.
    if (variant === 'no-widget' && path === '/dist/aqjb-embed.js') return 'reset';
    return undefined;
  };
  // A stopped page clock (harness.ts): the countdown stays at 15 s in both screenshots until the test moves it on.
  await page.goto(`${e2e.demo.url}hostile.html?e2e-clock=paused`);
  return page;
}

async function capture(e2e: E2E, engine: Engine, variant: 'hostile' | 'plain'): Promise<Run> {
  const shots = new Shots(`hostile-css-${variant}`, engine);
  const page = await open(e2e, variant);
  await page.waitFor(ACCEPT, 'the accept button');
  await placeHost(page);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await shots.take(page, 'page', { full: true });
  const notice = { styles: await stylesOf(page, NOTICE_PARTS), png: await shootHost(shots, page, 'notice'), box: await sizeOf(page), strips: await scrollStrips(page) };

  await passNotice(page, e2e);
  await chooseMode(page, '匿名举报');
  await chooseRegion(page, ['郑州市', '金水区']);
  await waitForStep(page, 'form');
  await until(() => page.count([...field('industry'), 'option[value="chemical"]']), 'the industry dictionary');
  // Nothing focused in either shot: the focused element itself, inside the shadow roots (blurring the intake, the
  // document's activeElement, left WebKit's focus ring on a box inside the form in one shot of two).
  await page.evaluate(() => {
    let el = document.activeElement as HTMLElement | null;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
    el?.blur();
  });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const form = { styles: await stylesOf(page, FORM_PARTS), png: await shootHost(shots, page, 'form'), box: await sizeOf(page), strips: await scrollStrips(page) };
  await shots.take(page, 'form-page', { full: true });

  return {
    notice,
    form,
    host: await stylesOf(page, HOST_PAGE.map((s) => [s])),
    documentStyles: await page.evaluate(() => ({
      sheets: [...document.styleSheets].map((s) => s.href ?? 'inline'),
      adopted: document.adoptedStyleSheets.length,
      styleElements: document.querySelectorAll('style').length,
    })),
  };
}

/** Only the properties that differ, one line each (`element: property hostile ≠ plain`): a readable failure. */
function differences(a: Styles, b: Styles, ignore: Record<string, string[]> = {}): string[] {
  const out: string[] = [];
  for (const key of Object.keys(a)) {
    const x = a[key];
    const y = b[key];
    if (!x || !y) {
      if (x !== y) out.push(`${key}: ${x ? 'found' : 'missing'} ≠ ${y ? 'found' : 'missing'}`);
      continue;
    }
    for (const p of Object.keys(x)) if (x[p] !== y[p] && !ignore[key]?.includes(p)) out.push(`${key}: ${p} ${x[p]} ≠ ${y[p]}`);
  }
  return out;
}

forEachEngine((e2e, engine) => {
  const runs: Partial<Record<'hostile' | 'plain', Run>> = {};
  let withoutWidget: Styles;
  let differenceDir: string;

  before(async () => {
    differenceDir = new Shots('hostile-css-difference', engine).dir;
    runs.hostile = await capture(e2e(), engine, 'hostile');
    await e2e().closePages();
    runs.plain = await capture(e2e(), engine, 'plain');
    await e2e().closePages();
    const page = await open(e2e(), 'no-widget');
    await page.waitFor(['#host-h2']);
    withoutWidget = await stylesOf(page, HOST_PAGE.map((s) => [s]));
    await e2e().closePages();
  });

  for (const screen of ['notice', 'form'] as const) {
    test(
      `nothing leaks in: the ${screen === 'notice' ? 'first screen' : 'form'} looks the same with the legacy stylesheet as without`,
      () => {
      const hostile = runs.hostile![screen];
      const plain = runs.plain![screen];
      assert.ok(Object.values(plain.styles).every(Boolean), 'every element was found');
      assert.deepEqual(differences(hostile.styles, plain.styles), [], 'computed styles inside the shadow roots (hostile ≠ plain)');
      assert.deepEqual(hostile.box, plain.box, 'the element’s size');
      const out = path.join(differenceDir, `${screen}.png`);
      assert.deepEqual(hostile.strips, plain.strips, 'the same scroll boxes');
      assert.equal(visibleDifferences(hostile.png, plain.png, out, plain.strips), 0, `the element’s screenshots differ by anti-aliasing at most (${out})`);
      },
    );
  }

  test('nothing leaks out: the portal’s own elements keep their hostile styles', () => {
    const hostile = runs.hostile!;
    // The page grows with the widget's content: the body's size is the only expected difference.
    assert.deepEqual(differences(hostile.host, withoutWidget, { body: ['height', 'width'] }), [], 'host elements with the widget vs without it');
    assert.equal(hostile.host['#host-h2']?.color, 'rgb(0, 255, 0)', 'the portal’s h2 stays lime');
    assert.equal(hostile.host['#host-h2']?.['border-top-style'], 'none');
    assert.equal(hostile.host['#host-hidden']?.display, 'block', 'its [hidden] rule still applies');
    assert.equal(hostile.host['#site-search']?.width, '150px', 'its inputs keep their width');
    assert.equal(hostile.host['#host-p']?.['text-indent'], '24px');
    assert.deepEqual(hostile.documentStyles.adopted, 0, 'no stylesheet adopted by the document');
    assert.equal(hostile.documentStyles.styleElements, 0, 'no <style> added to the page');
    assert.deepEqual(
      hostile.documentStyles.sheets.map((s) => s.replace(/^https?:\/\/[^/]+/, '')),
      ['/hostile.css'],
      'the page’s only stylesheet is its own',
    );
  });
});
