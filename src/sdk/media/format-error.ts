/** The bytes are not a well-formed file of the type they claim (truncated, corrupt, or another format). */
export class MediaFormatError extends Error {
  override name = 'MediaFormatError';
}

export const fail = (message: string): never => {
  throw new MediaFormatError(message);
};
