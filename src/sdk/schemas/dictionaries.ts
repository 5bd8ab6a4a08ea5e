import * as z from 'zod/mini';

export const DictionaryEntry = z.object({ code: z.string(), name: z.string() });
export type DictionaryEntry = z.infer<typeof DictionaryEntry>;

export const ProblemType = z.object({
  code: z.string(),
  name: z.string(),
  /** Sub-items a reporter may tick, e.g. the 七严禁 of safety-evaluation bodies. */
  items: z.array(z.object({ code: z.string(), name: z.string() })),
  /** Short help text: what counts under this type. */
  hint: z.optional(z.string()),
});
export type ProblemType = z.infer<typeof ProblemType>;

export const Dictionaries = z.object({
  version: z.string(),
  industries: z.array(DictionaryEntry),
  problemTypes: z.array(ProblemType),
});
export type Dictionaries = z.infer<typeof Dictionaries>;
