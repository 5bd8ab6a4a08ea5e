import { css } from 'lit';

export default css`
  nav ol {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    list-style: none;
    margin: 0 0 0.25em;
    padding: 0;
  }
  nav li {
    display: flex;
    align-items: center;
  }
  nav li + li::before {
    content: '›';
    color: var(--_muted);
    padding-inline: 0.25em;
  }
  nav [aria-current] {
    font-weight: 600;
    padding-inline: 0.25em;
  }
  .chosen {
    font-weight: 600;
  }
  .views {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-block-end: var(--_space);
  }
  .views button[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_accent-contrast);
  }
  .notice {
    border-inline-start: 4px solid var(--_accent);
    padding-inline-start: 0.75em;
  }
  .search {
    margin-block-end: var(--_space);
  }
  .search label {
    margin-block-start: 0;
  }
  .regions {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5em), 1fr));
    gap: 0.5em;
    list-style: none;
    margin: 0 0 var(--_space);
    padding: 0;
  }
  .region {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 0.5em;
    inline-size: 100%;
    block-size: 100%;
    text-align: start;
    padding-inline: 0.75em;
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_border);
    overflow-wrap: anywhere;
  }
  .region:hover {
    border-color: var(--_focus);
    background: var(--aqjb-color-hover, #eef3fb);
  }
  .region.is-chosen {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-contrast);
  }
  .region .name {
    flex: 1 1 auto;
  }
  .region .context {
    flex-basis: 100%;
    order: 3;
    font-size: 0.875em;
    color: var(--_muted);
  }
  .region.is-chosen .context {
    color: inherit;
  }
  .region .mark {
    font-size: 0.875em;
    font-weight: 600;
  }
  .region .more {
    font-size: 1.25em;
    line-height: 1;
  }
  .map svg {
    display: block;
    inline-size: 100%;
    block-size: auto;
    max-block-size: 70vh;
    touch-action: manipulation;
  }
  .map path {
    fill: var(--aqjb-map-fill, #e6edf5);
    stroke: var(--aqjb-map-stroke, #ffffff);
    stroke-width: 1px;
    vector-effect: non-scaling-stroke;
    stroke-linejoin: round;
  }
  .map path[role='button'] {
    cursor: pointer;
    fill: var(--aqjb-map-fill, #e6edf5);
    stroke: var(--aqjb-map-border, #5b6b7c);
  }
  .map path[role='button']:hover,
  .map path[role='button']:focus {
    fill: var(--aqjb-map-hover, #c9dcf5);
    outline: none;
  }
  .map path[role='button']:focus-visible {
    stroke: var(--_focus);
    stroke-width: 3px;
  }
  .map path.is-chosen {
    fill: var(--_accent);
  }
  .map path.stale {
    fill: var(--aqjb-map-stale, #c9ced4);
    stroke: var(--aqjb-map-stroke, #ffffff);
  }
  .map .labels {
    pointer-events: none;
    fill: var(--_text);
    paint-order: stroke;
    stroke: var(--_surface);
    stroke-width: 3px;
    stroke-linejoin: round;
  }
  .map .labels text.is-chosen {
    fill: var(--_accent-contrast);
    stroke: var(--_accent);
  }
  .map .marker {
    cursor: pointer;
    fill: var(--_focus);
    stroke: var(--_surface);
    stroke-width: 2px;
    vector-effect: non-scaling-stroke;
  }
  .map .marker:hover,
  .map .marker:focus-visible {
    stroke: var(--_text);
    stroke-width: 3px;
    outline: none;
  }
  .map .marker.is-chosen {
    fill: var(--_accent);
  }
  .map .inset rect {
    fill: var(--_surface);
    stroke: var(--_muted);
    vector-effect: non-scaling-stroke;
  }
  .map .inset path {
    fill: none;
    stroke: var(--_muted);
  }
  .map .inset text {
    fill: var(--_muted);
  }
  .caption {
    color: var(--_muted);
    font-size: 0.875em;
  }
  @media (forced-colors: active) {
    .map path[role='button'] {
      fill: Canvas;
      stroke: CanvasText;
    }
    .map path[role='button']:hover,
    .map path[role='button']:focus,
    .map path.is-chosen,
    .region.is-chosen {
      fill: Highlight;
      background: Highlight;
      color: HighlightText;
      forced-color-adjust: none;
    }
    .map path.stale {
      fill: GrayText;
    }
    .map .labels {
      fill: CanvasText;
      stroke: Canvas;
    }
  }
`;
