import { css } from 'lit';

export default css`
  :host {
    overflow-wrap: anywhere;
  }
  h2 {
    scroll-margin-block-start: var(--_space);
  }
  .body {
    margin-block-end: var(--_space);
  }
  .body[hidden] {
    display: none;
  }
  .notice {
    display: contents;
  }
  .content > :last-child,
  .notice > section:last-child,
  .content section:last-child > :last-child {
    margin-block-end: 0;
  }
  /* The host's own text keeps its styles; only the outer margins that would pad the box are taken off. */
  ::slotted(:first-child) {
    margin-block-start: 0;
  }
  ::slotted(:last-child) {
    margin-block-end: 0;
  }
  section {
    margin-block-end: calc(var(--_space) * 1.25);
  }
  ol,
  ul {
    margin-block: 0 calc(var(--_space) * 0.75);
    padding-inline-start: 1.75em;
  }
  li + li {
    margin-block-start: 0.35em;
  }
  /* Only on a large screen is the notice a box of its own. On a phone a nested scroller catches the thumb and
     traps the reader, so there the page scrolls as usual. */
  @media (min-width: 48em) and (min-height: 36em) {
    .body {
      max-block-size: var(--aqjb-notice-max-height, 55vh);
      overflow-y: auto;
      padding: var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      /* Shadows at an edge with more text beyond it: the covers scroll with the text and hide the shadow at the ends. */
      background:
        linear-gradient(var(--_surface) 30%, transparent) top / 100% 2.5em no-repeat local,
        linear-gradient(transparent, var(--_surface) 70%) bottom / 100% 2.5em no-repeat local,
        radial-gradient(farthest-side at 50% 0, rgb(0 0 0 / 0.22), transparent) top / 100% 0.9em no-repeat scroll,
        radial-gradient(farthest-side at 50% 100%, rgb(0 0 0 / 0.22), transparent) bottom / 100% 0.9em no-repeat scroll;
      background-color: var(--_surface);
    }
    /* In the box, a section below its fold is laid out when it scrolls near: the first frame costs what shows (the
       gate interactive some 10 % sooner on the bench's desktop page). Only here: the box's height does not depend on
       it, so the page does not shift, and on a phone the page itself scrolls. */
    section {
      content-visibility: auto;
      contain-intrinsic-size: auto 12em;
    }
  }
  .actions {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    gap: calc(var(--_space) * 0.75);
  }
  .actions > * {
    margin: 0;
  }
  [part~='accept-button'] {
    position: relative;
    overflow: hidden;
    font-weight: 600;
    padding-block: 0.6em;
  }
  @media (min-width: 36em) {
    .actions {
      align-items: flex-start;
    }
    [part~='accept-button'] {
      min-inline-size: 16em;
    }
  }
  .progress {
    position: absolute;
    inset-inline-start: 0;
    inset-block-end: 0;
    block-size: 4px;
    inline-size: calc(var(--aqjb-gate-progress, 0) * 100%);
    background: var(--_accent);
  }
  [aria-disabled='false'] .progress {
    display: none;
  }
  @media (prefers-reduced-motion: no-preference) {
    .progress {
      transition: inline-size 0.3s linear;
    }
  }
  .status {
    color: var(--_muted);
  }
  .hint {
    color: var(--_text);
    font-size: 1em;
  }
  .problem {
    border-inline-start: 4px solid var(--_error);
    padding-inline-start: 0.75em;
  }
  .problem p {
    margin-block-end: 0.5em;
  }
  .problem button + p {
    margin-block-start: 0.75em;
  }
  @media (forced-colors: active) {
    .progress {
      background: CanvasText;
    }
    .body {
      border-color: CanvasText;
    }
  }
`;
