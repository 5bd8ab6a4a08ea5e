import { html, LitElement, nothing, svg, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { AqjbClient, Region, RegionHit } from '../../sdk/index.js';
import { AqjbApiElement } from '../internal/client.js';
import { baseStyles } from '../internal/styles.js';
import { fieldStyles } from '../internal/field-styles.js';
import { Latest } from '../internal/latest.js';
import { systemClock, type Clock } from '../controllers/clock.js';
import { Load } from '../controllers/load.js';
import { labelled, loadMap, sizeFor, type MapData } from './geometry.js';
import { geometryUrl } from './geometry-url.js';
import { prefetched } from '../internal/prefetch.js';
import { nextTarget } from './map-keys.js';
import { RegionTree } from './region-tree.js';
import styles from './region-picker.styles.js';
import { registerMessages } from '../locales/localize.js';
import zhPicker from '../locales/zh-CN/picker.js';
import '../locales/errors.js';

registerMessages('picker', zhPicker);

const trees = new WeakMap<AqjbClient, RegionTree>();
/** Search speaks its result once typing pauses this long, not on every keystroke. */
const SPEAK_AFTER_MS = 800;

/**
 * @summary Chooses the place of the problem, national → province → prefecture → county, on an SVG map or in an
 * equal list with search. Form-associated: works inside the host page's own `<form>`.
 * @tag aqjb-region-picker
 * @event {AqjbRegionChangeEvent} aqjb-region-change - The citizen chose a place: `detail.code`, `detail.level`, `detail.path` (`[{ code, name }]`, outermost first).
 * @csspart breadcrumb - The 「全国 › 河南省 › 郑州市」 trail back up.
 * @csspart heading - The heading of the level shown.
 * @csspart views - The map / list switch.
 * @csspart chosen - The line naming the chosen place.
 * @csspart search - The search field.
 * @csspart region-list - The list of places of the level shown, or the search results.
 * @csspart region - Each place button.
 * @csspart map - The map and the buttons for places too small or without a shape on it.
 * @csspart caption - The map's 审图号, or the schematic-map notice.
 * @cssproperty [--aqjb-color-accent=#a61b1b] - The chosen place, on the map and in the list.
 * @cssproperty [--aqjb-color-focus=#0b57d0] - Focus ring and the place under the pointer or keyboard.
 * @cssproperty [--aqjb-map-fill=#e6edf5] - Fill of the places on the map.
 * @cssproperty [--aqjb-map-stroke=#ffffff] - Borders between places on the map.
 * @cssproperty [--aqjb-map-stale=#c9ced4] - Fill of shapes whose old code is no longer valid.
 * @cssproperty [--aqjb-target-size=44px] - Minimum size of every button.
 */
export class AqjbRegionPicker extends AqjbApiElement {
  static formAssociated = true;
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override styles = [baseStyles, fieldStyles, styles];
  // Declared here rather than with decorators: the compiled decorator calls (about 100 bytes gzip each) would take
  // the picker over its 6 KB budget. Same reactive properties, same attributes.
  static override properties: PropertyDeclarations = {
    root: {},
    required: { type: Boolean, reflect: true },
    view: { reflect: true },
    geometryBase: { attribute: 'geometry-base' },
    mapApproval: { attribute: 'map-approval' },
    value: {},
  };
  // Internal state, created here so the manifest does not list it as attributes.
  static {
    for (const name of ['path', 'chosen', 'search', 'announcement', 'focusCode']) this.createProperty(name, { state: true });
  }

  /** Province code to start at (e.g. `410000`); the breadcrumb still leads out to 全国. Empty: the national level. */
  root = '';

  /** A choice is needed for the host form to submit. */
  required = false;

  /** Name of the field in the host form's data (the `name` attribute, as on native controls). */
  get name(): string {
    return this.getAttribute('name') ?? '';
  }
  set name(name: string) {
    this.setAttribute('name', name);
  }

  /** `map` (when `geometry-base` is set) or `list`; the citizen can switch. Without geometry the list is shown. */
  view: 'map' | 'list' = 'map';

  /** Base URL of the geometry files (`000000.s.json`, `410000.l.json`, …); empty: list only. */
  geometryBase = '';

  /** The map's approval number (审图号), shown under the map; without it the map is captioned as a schematic. */
  mapApproval = '';

  /** Time source for the pause before search results are spoken (tests pass a manual clock). */
  clock: Clock = systemClock;

  /** Places above the level shown, outermost first. */
  private path: Region[] = [];
  /** The chosen place and the places above it. */
  private chosen: Region[] = [];
  /** What the citizen typed, and what it found (`hits` undefined while looking). */
  private search: { query: string; hits?: RegionHit[] } = { query: '' };
  #searchRequest = new Latest();
  private announcement = '';
  /** The map's one tab stop. */
  private focusCode = '';

  readonly #internals = this.attachInternals();
  #value = '';
  #navigated = false;
  #pendingValue = '';
  #failedMap = '';
  #speakTimer: unknown;
  #observer: IntersectionObserver | undefined;
  /** The picker has been on screen: only then does the map load. */
  #shown = false;
  /** Looking up where `root` or `value` is; the level is shown once known. */
  #locating = 0;

  /** Chosen 6-digit division code, or '' when none. Setting it fires no event. */
  set value(code: string) {
    this.#value = code ?? '';
    // Synchronously: a FormData read right after must see it.
    this.#internals.setFormValue(this.#value || null);
    this.#syncValidity();
    if (!this.#value) this.chosen = [];
    else if (this.#value !== this.chosen.at(-1)?.code) this.#pendingValue = this.#value;
  }
  get value(): string {
    return this.#value;
  }

  /** The validity of the choice, as on native controls. */
  get validity(): ValidityState {
    return this.#internals.validity;
  }

  formResetCallback() {
    this.value = this.getAttribute('value') ?? '';
    this.search = { query: '' };
  }

  formStateRestoreCallback(state: string | File | FormData | null) {
    if (typeof state === 'string') this.value = state;
  }

  get #tree(): RegionTree {
    const client = this.sdk;
    let tree = trees.get(client);
    if (!tree) trees.set(client, (tree = new RegionTree(client)));
    return tree;
  }

  get #parent(): string {
    return this.path.at(-1)?.code ?? (this.#navigated ? '' : this.root);
  }

  // A first list shown unchecked that then fails the SDK's check is loaded again, if its level is still shown.
  #children: Load<string, Region[]> = new Load(this, (parent: string, signal) =>
    this.#tree.children(parent, signal, () => this.#parent === parent && void this.#children.load(parent)),
  );
  // Nothing to load ('') until the map is wanted and the picker has been on screen.
  #map = new Load(this, async (key: string, signal) =>
    key ? loadMap(this.geometryBase, this.#parent, sizeFor(this.getBoundingClientRect().width), signal) : undefined,
  );

  get #mapWanted(): boolean {
    return !!this.geometryBase && this.view === 'map' && typeof SVGElement === 'function';
  }

  override connectedCallback() {
    super.connectedCallback();
    // Nothing map-related loads until the picker is on screen. The page's prefetch has seen it there already when
    // it asked for this first map: no need to wait for the observer's first report (a frame after the first render).
    if (!this.#shown && this.#mapPrefetched()) {
      this.#shown = true;
      return;
    }
    this.#observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.#shown = true;
        this.#observer?.disconnect();
        this.requestUpdate();
      }
    });
    this.#observer.observe(this);
  }

  #mapPrefetched(): boolean {
    if (!this.#mapWanted) return false;
    try {
      return (['s', 'l'] as const).some((size) => prefetched(geometryUrl(this.geometryBase, this.#parent, size)));
    } catch {
      return false; // no URL: the map's load says so
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#searchRequest.abort();
    this.clock.clearTimeout(this.#speakTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // Before rendering, so that no level is shown before it is known where to start.
    if (this.#pendingValue) {
      const code = this.#pendingValue;
      this.#pendingValue = '';
      void this.#locate(code, true);
    } else if (changed.has('root') && !this.#navigated && !this.chosen.length && this.root) {
      void this.#locate(this.root, false);
    }
    this.#children.want(this.#parent);
    this.#map.want(this.#mapWanted && this.#shown ? `${this.#parent} ${this.geometryBase}` : '');
  }

  protected override updated() {
    this.#syncValidity();
    // The first view is drawn (the list, and the map if one is wanted): a list shown unchecked is checked now.
    if (this.#children.phase !== 'pending' && !(this.#mapWanted && this.#shown && this.#map.phase === 'pending')) {
      this.#tree.checkAfterPaint();
    }
    // The fallback notice appears without a focus change: say it once per failed map.
    const failed = this.#mapWanted && this.#map.phase === 'failed' ? this.#parent || '-' : '';
    if (failed !== this.#failedMap) {
      this.#failedMap = failed;
      if (failed) this.#speak(this.t.picker.mapFailed);
    }
  }

  /** Shows the level of a given place: the chosen value's level, or the `root` province. */
  async #locate(code: string, isValue: boolean) {
    this.#locating++;
    try {
      const full = await this.#tree.pathTo(code);
      if (isValue) {
        if (this.#value !== code) return;
        this.chosen = full;
        if (!this.#navigated) this.path = full.slice(0, -1);
      } else if (!this.#navigated) {
        this.path = full;
      }
    } catch {
      // An unknown code or a network failure: the national level is shown; its list has its own 「重试」.
      if (!isValue) this.#navigated = true;
    } finally {
      this.#locating--;
      this.requestUpdate();
    }
  }

  #syncValidity() {
    const missing = this.required && !this.#value;
    this.#internals.setValidity(
      missing ? { valueMissing: true } : {},
      missing ? this.t.errors['region.required'] : '',
      this.#anchor(),
    );
  }

  /**
   * Where the browser points when the host form is submitted without a choice: the search field, else the heading
   * of the level shown (SVG shapes cannot be anchors).
   */
  #anchor(): HTMLElement | undefined {
    const anchor = this.renderRoot?.querySelector('[data-anchor]') ?? this.renderRoot?.querySelector('[data-heading]');
    return anchor instanceof HTMLElement ? anchor : undefined;
  }

  async #activate(region: Region, within: Region[] = []) {
    const above = [...this.path, ...within];
    if (region.hasChildren) {
      this.#navigated = true;
      this.path = [...above, region];
      this.search = { query: '' };
      this.focusCode = '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-heading]')?.focus();
      return;
    }
    this.chosen = [...above, region];
    this.value = region.code;
    this.#speak(this.t.picker.chosen(this.#names(this.chosen)));
    this.emit('aqjb-region-change', {
      code: region.code,
      level: region.level,
      path: this.chosen.map(({ code, name }) => ({ code, name })),
    });
  }

  async #goUp(depth: number) {
    this.#navigated = true;
    this.path = this.path.slice(0, depth);
    this.search = { query: '' };
    this.focusCode = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-heading]')?.focus();
  }

  #names = (regions: readonly Region[]) => regions.map((r) => r.name).join(' › ');

  #speak(text: string) {
    // Cleared first, so the same sentence twice is spoken twice.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = text));
  }

  async #onSearch(event: Event) {
    const query = (event.target as HTMLInputElement).value;
    this.search = { query };
    this.clock.clearTimeout(this.#speakTimer);
    if (!query.trim()) return;
    const parent = this.#parent;
    // The server searches every level below the one shown (the whole country at 全国); a newer query aborts this one.
    const signal = this.#searchRequest.next();
    let hits: RegionHit[] = [];
    try {
      hits = (await this.#tree.client.searchRegions(query, parent || undefined, { signal })).hits;
    } catch {
      // Nothing found is said below; the level's own list shows a load failure.
    }
    if (signal.aborted || this.search.query !== query || this.#parent !== parent) return;
    this.search = { query, hits };
    const found = hits.length;
    this.#speakTimer = this.clock.setTimeout(() => this.#speak(found ? this.t.picker.found(found) : this.t.picker.notFound), SPEAK_AFTER_MS);
  }

  #onMapKey(event: KeyboardEvent, codes: string[], targets: { x: number; y: number }[]) {
    const code = (event.target as Element).getAttribute('data-code');
    if (!code) return;
    const next = nextTarget(targets, codes.indexOf(code), event.key);
    if (next === undefined) return;
    event.preventDefault();
    this.focusCode = codes[next] ?? '';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<SVGElement>(`[data-code="${this.focusCode}"]`)?.focus(),
    );
  }

  protected override render() {
    const t = this.t.picker;
    const children = this.#children.value;
    const place = this.path.at(-1)?.name ?? (this.#parent ? '' : t.national);
    const level = children?.[0]?.level;
    const mapFailed = this.#mapWanted && this.#map.phase === 'failed';
    const onMap = this.#mapWanted && !mapFailed;
    return html`
      <nav part="breadcrumb" aria-label=${t.breadcrumb}>
        <ol>
          ${[{ code: '', name: t.national }, ...this.path].map((p, i, all) =>
            i === all.length - 1 && (this.path.length || !this.#parent)
              ? html`<li><span aria-current="location">${p.name}</span></li>`
              : html`<li><button type="button" class="link" @click=${() => this.#goUp(i)}>${p.name}</button></li>`,
          )}
        </ol>
      </nav>
      <h3 part="heading" tabindex="-1" data-heading>${(place && level ? t.levelHeading(place, t.childLevel[level]) : place) || t.loading}</h3>
      <p part="chosen" class="chosen">${this.chosen.length ? t.chosen(this.#names(this.chosen)) : t.none}</p>
      ${this.geometryBase
        ? html`<div part="views" class="views" role="group" aria-label=${t.views}>
            ${(['map', 'list'] as const).map(
              (v) =>
                html`<button type="button" class="secondary" aria-pressed=${this.view === v} @click=${() => (this.view = v)}>
                  ${v === 'map' ? t.mapView : t.listView}
                </button>`,
            )}
          </div>`
        : nothing}
      ${mapFailed ? html`<p class="notice">${t.mapFailed}</p>` : nothing}
      ${this.#locating || this.#children.phase === 'pending'
        ? html`<p class="hint">${t.loading}</p>`
        : children // a failed load forgets the last places
          ? onMap
            ? this.#renderMap(children, place)
            : this.#renderList(children, place)
          : html`<p class="notice">${t.loadFailed}</p>
              <button type="button" data-anchor @click=${() => void this.#children.load(this.#parent)}>${t.retry}</button>`}
      <p class="visually-hidden" aria-live="polite">${this.announcement}</p>
    `;
  }

  #renderList(children: Region[], place: string) {
    const t = this.t.picker;
    const { query, hits } = this.search;
    const searching = !!query.trim();
    return html`
      <div part="search" class="search">
        <label for="search">${t.searchLabel}</label>
        <p class="hint" id="search-hint">${t.searchHint}</p>
        <input
          id="search"
          type="search"
          autocomplete="off"
          spellcheck="false"
          aria-describedby="search-hint"
          aria-controls="regions"
          data-anchor
          .value=${query}
          @input=${this.#onSearch}
        />
      </div>
      ${searching
        ? hits === undefined
          ? html`<p class="hint">${t.searching}</p>`
          : html`<p class="hint">${hits.length ? t.found(hits.length) : t.notFound}</p>`
        : nothing}
      <ul id="regions" part="region-list" class="regions" aria-label=${t.listLabel(place)}>
        ${(searching ? (hits ?? []) : children.map((region) => ({ region, within: [] }))).map(
          (h) => html`<li>${this.#button(h.region, h.within)}</li>`,
        )}
      </ul>
    `;
  }

  #button(region: Region, within: Region[] = []) {
    const t = this.t.picker;
    const chosen = this.chosen.some((c) => c.code === region.code);
    return html`<button
      type="button"
      part="region"
      class="region ${chosen ? 'is-chosen' : ''}"
      aria-current=${chosen ? 'true' : nothing}
      @click=${() => this.#activate(region, within)}
    >
      <span class="name">${region.name}</span>
      ${within.length ? html`<span class="context">${this.#names([...this.path, ...within])}</span>` : nothing}
      ${chosen ? html`<span class="mark">${t.chosenMark}</span>` : nothing}
      ${region.hasChildren ? html`<span class="visually-hidden">${t.hasChildren}</span><span class="more" aria-hidden="true">›</span>` : nothing}
    </button>`;
  }

  #renderMap(children: Region[], place: string) {
    const t = this.t.picker;
    const map = this.#map.value;
    if (this.#map.phase !== 'done' || !map) return html`<p class="hint">${t.mapLoading}</p>`;
    const byCode = new Map(children.map((r) => [r.code, r]));
    const live = map.shapes.filter((s) => s.code && byCode.has(s.code));
    const codes = live.map((s) => s.code!);
    const chosen = new Set(this.chosen.map((r) => r.code));
    const focus = codes.includes(this.focusCode) ? this.focusCode : (codes.find((c) => chosen.has(c)) ?? codes[0]);
    // Places the map cannot offer well: no shape (functional zones, new codes) or too small to tap.
    const extras = children.filter((r) => !codes.includes(r.code) || live.some((s) => s.code === r.code && s.small));
    // Both file sizes are drawn at about two units per CSS pixel: 30 units is a 14–20 px name.
    const font = 30;
    return html`<div part="map" class="map">
      <svg
        viewBox="0 0 ${map.w} ${map.h}"
        role="group"
        aria-label=${t.mapLabel(place)}
        aria-describedby="map-help"
        @click=${(e: Event) => {
          const code = (e.target as Element).getAttribute('data-code');
          const region = code ? byCode.get(code) : undefined;
          if (region) void this.#activate(region);
        }}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ' ') {
            const region = byCode.get((e.target as Element).getAttribute('data-code') ?? '');
            if (region) {
              e.preventDefault();
              void this.#activate(region);
            }
          } else this.#onMapKey(e, codes, live);
        }}
      >
        ${map.shapes.map((s) => {
          if (!s.code || !byCode.has(s.code)) {
            return svg`<path d=${s.d} class="stale" aria-hidden="true"><title>${s.name}${t.stale}</title></path>`;
          }
          const attrs = [s.code, s.code === focus ? 0 : -1, byCode.get(s.code)!.name, chosen.has(s.code)] as const;
          // A unit too small to see or hit (澳门, 渝中区) is reached through a marker; its outline is only drawn.
          return s.small
            ? svg`${s.d ? svg`<path d=${s.d} class=${attrs[3] ? 'is-chosen' : ''} aria-hidden="true"></path>` : nothing}
                <circle class="marker ${attrs[3] ? 'is-chosen' : ''}" cx=${s.x} cy=${s.y} r=${font / 2.5} role="button"
                data-code=${attrs[0]} tabindex=${attrs[1]} aria-label=${attrs[2]} aria-current=${attrs[3] ? 'true' : nothing}></circle>`
            : svg`<path d=${s.d} role="button" data-code=${attrs[0]} tabindex=${attrs[1]} aria-label=${attrs[2]}
                aria-current=${attrs[3] ? 'true' : nothing} class=${attrs[3] ? 'is-chosen' : ''}></path>`;
        })}
        ${map.inset
          ? svg`<g class="inset" aria-hidden="true"><rect x=${map.inset.box[0]} y=${map.inset.box[1]} width=${map.inset.box[2]}
              height=${map.inset.box[3]}></rect><path d=${map.inset.d}></path><text x=${map.inset.box[0] + map.inset.box[2] - 4}
              y=${map.inset.box[1] + map.inset.box[3] - 6} text-anchor="end" font-size=${font * 0.8}>${t.southSea}</text></g>`
          : nothing}
        <g class="labels" aria-hidden="true" font-size=${font}>
          ${[...labelled(live, font, chosen)].map(
            (s) => svg`<text x=${s.x} y=${s.y} text-anchor="middle" dominant-baseline="central"
              class=${chosen.has(s.code!) ? 'is-chosen' : ''}>${s.name}</text>`,
          )}
        </g>
      </svg>
      <p class="hint" id="map-help">${t.mapHelp}</p>
      <p part="caption" class="caption">${this.mapApproval ? t.approval(this.mapApproval) : t.schematic}</p>
      ${extras.length
        ? html`<p>${t.mapExtras}</p>
            <ul part="region-list" class="regions">
              ${extras.map((r) => html`<li>${this.#button(r)}</li>`)}
            </ul>`
        : nothing}
    </div>`;
  }
}
