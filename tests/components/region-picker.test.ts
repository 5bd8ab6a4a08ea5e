import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import { messagesFor } from '../../src/components/locales/localize.js';
import '../../src/components/region-picker/region-picker.js';
import type { AqjbRegionPicker, AqjbRegionChangeEvent } from '../../src/components/region-picker/region-picker.js';
import { ManualClock } from '../support/manual-clock.js';

// The element's module has registered its texts by now (imports run first).
const zhCN = messagesFor('zh-CN');

declare global {
  interface Window {
    __AQJB__: { api: string };
  }
}

const api = window.__AQJB__.api;
const geo = '/demo/geometry/';
const t = zhCN.picker;

const root = (el: AqjbRegionPicker) => el.shadowRoot!;
const heading = (el: AqjbRegionPicker) => root(el).querySelector('[data-heading]')!;
const live = (el: AqjbRegionPicker) => root(el).querySelector('[aria-live]')!;
const regionButtons = (el: AqjbRegionPicker) => [...root(el).querySelectorAll<HTMLButtonElement>('button.region')];
const button = (el: AqjbRegionPicker, name: string) =>
  regionButtons(el).find((b) => b.querySelector('.name')?.textContent === name);
const mapRegion = (el: AqjbRegionPicker, name: string) =>
  root(el).querySelector<SVGGraphicsElement>(`svg [role="button"][aria-label="${name}"]`);

async function shows(el: AqjbRegionPicker, text: string) {
  await waitUntil(() => heading(el).textContent?.includes(text), `heading shows ${text}`);
}
async function listed(el: AqjbRegionPicker, name: string) {
  await waitUntil(() => button(el, name), `${name} is listed`);
  return button(el, name)!;
}
async function drawn(el: AqjbRegionPicker, name: string) {
  await waitUntil(() => mapRegion(el, name), `${name} is on the map`);
  return mapRegion(el, name)!;
}
const focused = (el: AqjbRegionPicker) => root(el).activeElement;

/** A real mouse click in the middle of a place's shape. */
async function click(path: SVGGraphicsElement) {
  path.scrollIntoView({ block: 'center' });
  const box = path.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

describe('<aqjb-region-picker> list view', () => {
  it('drills down to 河南省 › 郑州市 › 金水区 by the list alone, and says what was chosen', async () => {
    const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api}></aqjb-region-picker>`);
    await shows(el, t.levelHeading('全国', t.childLevel.province));
    (await listed(el, '河南省')).click();
    await shows(el, '河南省');
    expect(focused(el)).to.equal(heading(el));
    (await listed(el, '郑州市')).click();
    await shows(el, t.levelHeading('郑州市', t.childLevel.county));
    const crumbs = [...root(el).querySelectorAll('nav li')].map((li) => li.textContent?.trim());
    expect(crumbs).to.deep.equal(['全国', '河南省', '郑州市']);
    const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
    (await listed(el, '金水区')).click();
    const { detail } = await change;
    expect(detail).to.deep.equal({
      code: '410105',
      level: 'county',
      path: [
        { code: '410000', name: '河南省' },
        { code: '410100', name: '郑州市' },
        { code: '410105', name: '金水区' },
      ],
    });
    expect(el.value).to.equal('410105');
    await el.updateComplete;
    expect(button(el, '金水区')).to.have.attribute('aria-current', 'true');
    expect(root(el).querySelector('[part="chosen"]')).to.have.text(t.chosen('河南省 › 郑州市 › 金水区'));
    await waitUntil(() => live(el).textContent === t.chosen('河南省 › 郑州市 › 金水区'));
    await expect(el).to.be.accessible();
  });

  it('goes back up with the breadcrumb, and out of the root province to 全国', async () => {
    const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api} root="410000"></aqjb-region-picker>`);
    await shows(el, '河南省');
    (await listed(el, '郑州市')).click();
    await shows(el, '郑州市');
    [...root(el).querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent === '河南省')!.click();
    await shows(el, '河南省');
    expect(focused(el)).to.equal(heading(el));
    [...root(el).querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent === '全国')!.click();
    await listed(el, '北京市');
    expect(heading(el)).to.have.text(t.levelHeading('全国', t.childLevel.province));
  });

  it('finds 郑州市 by 「zz」 and by 「郑州」, and speaks the count once typing pauses', async () => {
    const clock = new ManualClock();
    const el = await fixture<AqjbRegionPicker>(
      html`<aqjb-region-picker api-base=${api} root="410000" .clock=${clock}></aqjb-region-picker>`,
    );
    await listed(el, '郑州市');
    const search = root(el).querySelector<HTMLInputElement>('#search')!;
    expect(root(el).querySelector('label[for="search"]')).to.have.text(t.searchLabel);
    search.focus();
    await sendKeys({ type: 'zz' });
    await waitUntil(() => regionButtons(el).length > 0 && !root(el).querySelector('.search + .hint')?.textContent?.includes(t.searching));
    expect(regionButtons(el)[0]!.querySelector('.name')).to.have.text('郑州市');
    expect(live(el).textContent).to.equal('');
    clock.advance(800);
    await waitUntil(() => live(el).textContent?.startsWith('找到'));
    expect(live(el).textContent).to.equal(t.found(regionButtons(el).length));

    search.select();
    await sendKeys({ type: '郑州' });
    await waitUntil(() => regionButtons(el).every((b) => b.textContent?.includes('郑州')) && regionButtons(el).length > 1);
    const names = regionButtons(el).map((b) => b.querySelector('.name')!.textContent);
    expect(names[0]).to.equal('郑州市');
    // One level below the province is searched too: the functional zones of 郑州, with where they are.
    expect(names).to.include('郑州航空港经济综合实验区');
    expect(button(el, '郑州航空港经济综合实验区')!.querySelector('.context')).to.have.text('河南省 › 郑州市');
    await expect(el).to.be.accessible();

    search.select();
    await sendKeys({ type: '不存在的地方' });
    await waitUntil(() => root(el).textContent?.includes(t.notFound));
  });

  it('from 全国, search reaches every level: 「金水」 finds 金水区 under 河南省 › 郑州市 and chooses it', async () => {
    const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api}></aqjb-region-picker>`);
    await listed(el, '河南省');
    root(el).querySelector<HTMLInputElement>('#search')!.focus();
    await sendKeys({ type: '金水' });
    const found = await listed(el, '金水区');
    expect(found.querySelector('.context')).to.have.text('河南省 › 郑州市');
    const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
    found.click();
    expect((await change).detail.code).to.equal('410105');
  });

  it('picks 郑州市 › 金水区 with the keyboard alone', async () => {
    const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api} root="410000"></aqjb-region-picker>`);
    await listed(el, '郑州市');
    root(el).querySelector<HTMLInputElement>('#search')!.focus();
    await sendKeys({ type: 'zzs' });
    await waitUntil(() => button(el, '郑州市'));
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.querySelector('.name')).to.have.text('郑州市');
    await sendKeys({ press: 'Enter' });
    await shows(el, '郑州市');
    expect(focused(el)).to.equal(heading(el));
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.id).to.equal('search');
    await sendKeys({ type: 'jsq' });
    await waitUntil(() => button(el, '金水区'));
    await sendKeys({ press: 'Tab' });
    const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await change).detail.code).to.equal('410105');
  });
});

describe('<aqjb-region-picker> units that need care', () => {
  const leaves: [province: string, name: string, code: string][] = [
    ['410000', '济源市', '419001'],
    ['420000', '仙桃市', '429004'],
    ['460000', '儋州市', '460400'],
    ['650000', '石河子市', '659001'],
    ['440000', '东莞市', '441900'],
    ['440000', '中山市', '442000'],
    ['620000', '嘉峪关市', '620200'],
  ];
  for (const [province, name, code] of leaves) {
    it(`${name} has no counties: it is chosen at prefecture level`, async () => {
      const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api} root=${province}></aqjb-region-picker>`);
      const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
      (await listed(el, name)).click();
      const { detail } = await change;
      expect(detail.code).to.equal(code);
      expect(detail.level).to.equal('prefecture');
      expect(detail.path).to.have.length(2);
    });
  }

  it('a municipality goes straight to its districts: 北京市 › 东城区', async () => {
    const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api}></aqjb-region-picker>`);
    (await listed(el, '北京市')).click();
    await shows(el, t.levelHeading('北京市', t.childLevel.county));
    const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
    (await listed(el, '东城区')).click();
    expect((await change).detail.path.map((p) => p.name)).to.deep.equal(['北京市', '东城区']);
  });

  for (const name of ['台湾省', '香港特别行政区', '澳门特别行政区']) {
    it(`${name} is chosen at national level`, async () => {
      const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api}></aqjb-region-picker>`);
      const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
      (await listed(el, name)).click();
      const { detail } = await change;
      expect(detail.level).to.equal('province');
      expect(detail.path).to.deep.equal([{ code: detail.code, name }]);
    });
  }
});

describe('<aqjb-region-picker> map view', () => {
  it('drills down to 河南省 › 郑州市 › 金水区 by mouse, and highlights the choice', async () => {
    const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api} geometry-base=${geo}></aqjb-region-picker>`);
    await click(await drawn(el, '河南省'));
    await shows(el, '河南省');
    await click(await drawn(el, '郑州市'));
    await shows(el, '郑州市');
    const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
    await click(await drawn(el, '金水区'));
    expect((await change).detail.code).to.equal('410105');
    await el.updateComplete;
    expect(mapRegion(el, '金水区')).to.have.attribute('aria-current', 'true');
    expect(root(el).querySelector('svg text.is-chosen')).to.have.text('金水区');
    expect(root(el).querySelector('[part="caption"]')).to.have.text(t.schematic);
    await expect(el).to.be.accessible();
  });

  it('names places on a 360 px phone without two names overlapping, and always names the chosen one', async () => {
    await setViewport({ width: 360, height: 740 });
    try {
      const el = await fixture<AqjbRegionPicker>(
        html`<aqjb-region-picker api-base=${api} root="410000" geometry-base=${geo} value="410500"></aqjb-region-picker>`,
      );
      await drawn(el, '郑州市');
      await waitUntil(() => root(el).querySelector('svg text.is-chosen'), 'the chosen place is named');
      const labels = [...root(el).querySelectorAll('svg .labels text')];
      const boxes = labels.map((l) => l.getBoundingClientRect());
      const overlapping = labels.flatMap((a, i) =>
        labels.slice(i + 1).flatMap((b, k) => {
          const [p, q] = [boxes[i]!, boxes[i + 1 + k]!];
          return p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom ? [`${a.textContent}/${b.textContent}`] : [];
        }),
      );
      expect(overlapping).to.deep.equal([]);
      // 安阳市 (410500) is chosen: named even where its neighbour 鹤壁市 crowds it.
      expect(root(el).querySelector('svg text.is-chosen')).to.have.text('安阳市');
      expect(labels.length, 'most of the 18 cities stay named').to.be.at.least(12);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('has one tab stop; the arrow keys move between places and Enter opens or chooses', async () => {
    const el = await fixture<AqjbRegionPicker>(
      html`<aqjb-region-picker api-base=${api} root="410000" geometry-base=${geo}></aqjb-region-picker>`,
    );
    await drawn(el, '郑州市');
    const stops = [...root(el).querySelectorAll('svg [role="button"]')].filter((p) => p.getAttribute('tabindex') === '0');
    expect(stops).to.have.length(1);
    (stops[0] as SVGElement).focus();
    expect(focused(el)).to.have.attribute('aria-label', '郑州市');
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(el)).to.have.attribute('aria-label', '开封市');
    await sendKeys({ press: 'ArrowLeft' });
    expect(focused(el)).to.have.attribute('aria-label', '郑州市');
    await sendKeys({ press: 'Enter' });
    await shows(el, '郑州市');
    expect(focused(el)).to.equal(heading(el));
    await drawn(el, '金水区');
    // Tab from the heading: the map/list switch, then the map's single stop.
    for (let i = 0; i < 4 && focused(el)?.getAttribute('role') !== 'button'; i++) await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.have.attribute('aria-label', '中原区');
    const route: string[] = [];
    for (const key of ['ArrowRight', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']) {
      if (focused(el)?.getAttribute('aria-label') === '金水区') break;
      await sendKeys({ press: key });
      route.push(focused(el)?.getAttribute('aria-label') ?? '');
    }
    expect(focused(el), `route ${route.join(' → ')}`).to.have.attribute('aria-label', '金水区');
    const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await change).detail.code).to.equal('410105');
  });

  it('offers zones without a shape as buttons under their prefecture: 郑州航空港经济综合实验区', async () => {
    const el = await fixture<AqjbRegionPicker>(
      html`<aqjb-region-picker api-base=${api} root="410000" geometry-base=${geo}></aqjb-region-picker>`,
    );
    (await drawn(el, '郑州市')).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await drawn(el, '金水区');
    expect(mapRegion(el, '郑州航空港经济综合实验区')).to.equal(null);
    const change = oneEvent(el, 'aqjb-region-change') as Promise<AqjbRegionChangeEvent>;
    (await listed(el, '郑州航空港经济综合实验区')).click();
    const { detail } = await change;
    expect(detail.code).to.equal('410173');
    expect(detail.level).to.equal('county');
  });

  it('tiny units get a button: 澳门 on the national map, 渝中区 on Chongqing’s', async () => {
    const el = await fixture<AqjbRegionPicker>(html`<aqjb-region-picker api-base=${api} geometry-base=${geo}></aqjb-region-picker>`);
    await drawn(el, '澳门特别行政区');
    const macao = await listed(el, '澳门特别行政区');
    expect(macao.getBoundingClientRect().height).to.be.at.least(44);
    (await drawn(el, '重庆市')).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await drawn(el, '渝中区');
    expect((await listed(el, '渝中区')).getBoundingClientRect().height).to.be.at.least(44);
  });

  it('draws shapes whose old code is gone in grey, not choosable; their successors are in the list', async () => {
    const el = await fixture<AqjbRegionPicker>(
      html`<aqjb-region-picker api-base=${api} root="410000" geometry-base=${geo}></aqjb-region-picker>`,
    );
    (await drawn(el, '洛阳市')).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await drawn(el, '偃师区'); // renamed 偃师市: matched through the alias table
    const stale = [...root(el).querySelectorAll('path.stale')];
    expect(stale.map((p) => p.querySelector('title')?.textContent)).to.have.members([`吉利区${t.stale}`, `孟津县${t.stale}`]);
    for (const p of stale) {
      expect(p).to.have.attribute('aria-hidden', 'true');
      expect(p).not.to.have.attribute('tabindex');
    }
    // 孟津区 (孟津县 and 吉利区 merged in 2021) has no shape of its own: it is a button.
    expect(mapRegion(el, '孟津区')).to.equal(null);
    await listed(el, '孟津区');
  });

  it('falls back to the list with a one-line notice when the geometry does not load', async () => {
    const el = await fixture<AqjbRegionPicker>(
      html`<aqjb-region-picker api-base=${api} root="410000" geometry-base="/no-such-geometry/"></aqjb-region-picker>`,
    );
    await listed(el, '郑州市');
    await waitUntil(() => root(el).querySelector('.notice'));
    expect(root(el).querySelector('.notice')).to.have.text(t.mapFailed);
    expect(root(el).querySelector('#search')).to.exist;
    await waitUntil(() => live(el).textContent === t.mapFailed);
    await expect(el).to.be.accessible();
  });

  it('shows the approval number when given', async () => {
    const el = await fixture<AqjbRegionPicker>(
      html`<aqjb-region-picker api-base=${api} root="410000" geometry-base=${geo} map-approval="豫S〔2025〕001号"></aqjb-region-picker>`,
    );
    await drawn(el, '郑州市');
    expect(root(el).querySelector('[part="caption"]')).to.have.text('审图号：豫S〔2025〕001号');
  });
});

describe('<aqjb-region-picker> in a host page form', () => {
  it('submits the chosen code under its name, blocks submit while required and empty, and resets', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form><aqjb-region-picker name="region" required api-base=${api} root="410000"></aqjb-region-picker></form>`,
    );
    const el = form.querySelector('aqjb-region-picker')!;
    await listed(el, '济源市');
    expect(form.checkValidity()).to.equal(false);
    expect(el.validity.valueMissing).to.equal(true);
    expect(new FormData(form).get('region')).to.equal(null);
    button(el, '济源市')!.click();
    expect(new FormData(form).get('region')).to.equal('419001');
    expect(form.checkValidity()).to.equal(true);
    form.reset();
    expect(el.value).to.equal('');
    expect(new FormData(form).get('region')).to.equal(null);
    await el.updateComplete;
    expect(button(el, '济源市')).not.to.have.attribute('aria-current');
  });

  it('reset goes back to the value attribute; setting value shows it without firing an event', async () => {
    let fired = 0;
    const form = await fixture<HTMLFormElement>(
      html`<form @aqjb-region-change=${() => fired++}>
        <aqjb-region-picker name="region" value="410105" api-base=${api}></aqjb-region-picker>
      </form>`,
    );
    const el = form.querySelector('aqjb-region-picker')!;
    expect(new FormData(form).get('region')).to.equal('410105');
    await shows(el, '郑州市');
    await waitUntil(() => button(el, '金水区')?.getAttribute('aria-current') === 'true');
    el.value = '410173';
    expect(new FormData(form).get('region')).to.equal('410173');
    await waitUntil(() => button(el, '郑州航空港经济综合实验区')?.getAttribute('aria-current') === 'true');
    form.reset();
    expect(new FormData(form).get('region')).to.equal('410105');
    expect(fired).to.equal(0);
  });
});
