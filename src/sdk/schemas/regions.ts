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
