import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import type { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { thirdAlgorithmRequestSchema, type ThirdAlgorithmRequest } from './schemas/request.js';

// A number of 16 digits or more where a value begins (a visitor's long numbers in text match too, and cost only time).
const LONG_DIGITS = /[:,[]\s*-?\d{16}/;

/** Reads a webhook body, naming the problem when it is not a usable ThirdAlgorithmReqVo. */
export function parseThirdAlgorithmRequest(body: string): ThirdAlgorithmRequest {
  if (body.trim() === '')
    throw new ApiError('badRequest', 'request body is empty; expected a ThirdAlgorithmReqVo JSON object');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    // V8 quotes the start of the body in its message; the refusal is logged, and the body is the visitor's.
    const detail =
      error instanceof Error
        ? `: ${error.message.replace(/, ".*"(\.\.\.)? is not valid JSON$/s, ' is not valid JSON')}`
        : '';
    throw new ApiError('badRequest', `request body is not valid JSON${detail}`);
  }
  // Sobot's Java side may send a Long id unquoted. Past 2^53 JSON.parse rounds it, and the reply would carry another
  // round's id: such a body (rare, found by its digits) is read again keeping those numbers' digits as text.
  if (LONG_DIGITS.test(body))
    json = parseLossless(body, undefined, (text) => (isSafeNumber(text) ? Number(text) : text));
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const kind = json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
    throw new ApiError('badRequest', `request body must be a ThirdAlgorithmReqVo JSON object, got ${kind}`);
  }
  const parsed = thirdAlgorithmRequestSchema.safeParse(json);
  if (!parsed.success) throw new ApiError('badRequest', `invalid ThirdAlgorithmReqVo: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
