/**
 * The errors a caller can be told about. `ret_code` follows Sobot's six-digit string style; the HTTP
 * status carries the same meaning for clients that look only at it.
 */
export const errorCodes = {
  badRequest: { status: 400, code: '400000' },
  unauthorized: { status: 401, code: '401000' },
  forbidden: { status: 403, code: '403000' },
  notFound: { status: 404, code: '404000' },
  conflict: { status: 409, code: '409000' },
  payloadTooLarge: { status: 413, code: '413000' },
  unavailable: { status: 503, code: '503000' },
  internal: { status: 500, code: '500000' },
} as const;

export type ErrorKind = keyof typeof errorCodes;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }

  get status() {
    return errorCodes[this.kind].status;
  }

  get code() {
    return errorCodes[this.kind].code;
  }
}
