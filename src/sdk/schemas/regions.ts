import * as z from 'zod/mini';
import { RegionCode } from './common.js';

export const RegionLevel = z.enum(['province', 'prefecture', 'county']);
export type RegionLevel = z.infer<typeof RegionLevel>;

export const Region = z.object({
  code: RegionCode,
  name: z.string(),
  /** Toneless pinyin, syllables separated by spaces (`zheng zhou shi`); initials give `zzs`. */
  pinyin: z.string(),
  level: RegionLevel,
  hasChildren: z.boolean(),
});
export type Region = z.infer<typeof Region>;

export const RegionList = z.object({ parent: z.nullable(RegionCode), regions: z.array(Region) });
export type RegionList = z.infer<typeof RegionList>;

/** One division with its ancestors, outermost first (province, then prefecture). */
export const RegionDetail = z.object({ ...Region.shape, ancestors: z.array(Region) });
export type RegionDetail = z.infer<typeof RegionDetail>;

/** A place found by search, with the places between the searched area and it, outermost first. */
export const RegionHit = z.object({ region: Region, within: z.array(Region) });
export type RegionHit = z.infer<typeof RegionHit>;

/** `GET /regions/search`: the best 50 matches by name or pinyin, shallower places first. */
export const RegionSearch = z.object({ query: z.string(), within: z.nullable(RegionCode), hits: z.array(RegionHit) });
export type RegionSearch = z.infer<typeof RegionSearch>;
