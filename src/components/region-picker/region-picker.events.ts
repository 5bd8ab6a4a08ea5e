import type { RegionLevel } from '../../sdk/index.js';

/** One step of the chosen place, outermost first (province, prefecture, county). No personal data. */
export interface RegionPathStep {
  code: string;
  name: string;
}

export interface AqjbRegionChangeDetail {
  /** The chosen 6-digit statistical division code. */
  code: string;
  level: RegionLevel;
  path: RegionPathStep[];
}

/** The citizen chose a place (a county, or a unit without counties). Not fired when the owner sets `value`. */
export type AqjbRegionChangeEvent = CustomEvent<AqjbRegionChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-region-change': AqjbRegionChangeEvent;
  }
}
