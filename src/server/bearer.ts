/**
 * The token of an `Authorization: Bearer <token>` header, or undefined: the one reading for every endpoint that
 * takes a bearer (the staff API, `/metrics`). The scheme in any case, then spaces or tabs, then one token without
 * white space, and nothing after it (RFC 9110 §11.4 allows only spaces there; tabs were always taken). Another
 * scheme, no token, two tokens, or any other separator (a no-break space, byte A0) is no bearer.
 */
export const bearerToken = (header: string | undefined): string | undefined => /^Bearer[ \t]+(\S+)$/i.exec(header ?? '')?.[1];
