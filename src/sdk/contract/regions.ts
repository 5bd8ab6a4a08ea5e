import * as z from 'zod/mini';
import { RegionCode } from '../schemas/common.js';
import { RegionDetail, RegionList, RegionSearch } from '../schemas/regions.js';
import { route } from './route.js';

/** Longest search term, after trimming. */
export const REGION_QUERY_MAX = 20;

/** A division code; an empty value is the same as none (`?parent=` lists the provinces). */
const OptionalRegionCode = z.optional(
  z.pipe(
    z.string().check(z.regex(/^(\d{6})?$/)),
    z.transform((v) => v || undefined),
  ),
);

export const listRegions = route({
  operationId: 'listRegions',
  method: 'get',
  path: '/regions',
  query: z.object({ parent: OptionalRegionCode }),
  responses: { 200: RegionList },
  errors: { 404: ['NOT_FOUND'] },
});

export const searchRegions = route({
  operationId: 'searchRegions',
  method: 'get',
  path: '/regions/search',
  query: z.object({
    // 1–20 characters once trimmed: one pattern says both, so the document checks what the server checks.
    q: z.pipe(
      z.string().check(z.regex(new RegExp(`^\\s*\\S(?:[\\s\\S]{0,${REGION_QUERY_MAX - 2}}\\S)?\\s*$`))),
      z.transform((v) => v.trim()),
    ),
    within: OptionalRegionCode,
  }),
  responses: { 200: RegionSearch },
  errors: { 404: ['NOT_FOUND'] },
});

export const getRegion = route({
  operationId: 'getRegion',
  method: 'get',
  path: '/regions/{code}',
  params: z.object({ code: RegionCode }),
  refuse: { params: [404, 'NOT_FOUND'] },
  responses: { 200: RegionDetail },
  errors: { 404: ['NOT_FOUND'] },
});
