/** upload quotas, encrypted evidence (finding 5, 6). */
export default /* sql */ `
SELECT 1;
`;
