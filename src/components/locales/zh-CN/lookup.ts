/** zh-CN texts of the lookup part. Full-width punctuation; a space around Latin letters and digits (「15 秒」). */
export default {};
