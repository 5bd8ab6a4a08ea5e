/** proof-of-work challenges (finding 2). */
export default /* sql */ `
SELECT 1;
`;
