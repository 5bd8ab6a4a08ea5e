/** zh-CN texts of the common part. Full-width punctuation; a space around Latin letters and digits (「15 秒」). */
export default {};
