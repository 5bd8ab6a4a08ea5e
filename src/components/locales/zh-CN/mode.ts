/** zh-CN texts of the mode part. Full-width punctuation; a space around Latin letters and digits (「15 秒」). */
export default {};
