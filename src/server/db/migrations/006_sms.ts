/** SMS cooldown, daily cap (finding 7). */
export default /* sql */ `
SELECT 1;
`;
