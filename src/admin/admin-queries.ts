import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { callbackStatuses } from '../store/schema.js';
import { healthRanges, type HealthRange } from './health.js';

/**
 * The console's query parameters, shared by its pages and its JSON API. Empty values count as absent,
 * since an HTML form sends its empty fields too.
 */
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalText = z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional());
const limit = (fallback: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(max).default(fallback));

/** A time as Unix milliseconds or an ISO 8601 date; one without an offset is read as UTC. */
const optionalTime = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .transform((text, context) => {
      const at = /^\d+$/.test(text) ? Number(text) : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
      if (Number.isNaN(at)) {
        context.addIssue({ code: 'custom', message: 'must be Unix milliseconds or an ISO 8601 date' });
        return z.NEVER;
      }
      return at;
    })
    .optional(),
);

/** `<updatedAt>.<cid>` of the last conversation shown: the next page starts after it. */
const cursor = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^\d+\..+$/, 'must be a cursor from the previous page')
    .transform((text) => {
      const dot = text.indexOf('.');
      return { updatedAt: Number(text.slice(0, dot)), cid: text.slice(dot + 1) };
    })
    .optional(),
);

export const conversationQuerySchema = z.object({
  cid: optionalText,
  robot: optionalText,
  from: optionalTime,
  to: optionalTime,
  before: cursor,
  limit: limit(50, 200),
});
export type ConversationQuery = z.output<typeof conversationQuerySchema>;

export function conversationCursor(conversation: { updatedAt: number; cid: string }): string {
  return `${conversation.updatedAt}.${conversation.cid}`;
}

export const callbackQuerySchema = z.object({
  status: z.preprocess(emptyAsUndefined, z.enum(callbackStatuses).optional()),
  limit: limit(100, 500),
});
export type CallbackQuery = z.output<typeof callbackQuerySchema>;

export const healthQuerySchema = z.object({
  range: z.preprocess(
    emptyAsUndefined,
    z.enum(Object.keys(healthRanges) as [HealthRange, ...HealthRange[]]).default('hour'),
  ),
});

export const batchRunsQuerySchema = z.object({ limit: limit(50, 500) });

/** Parses query parameters, or fails with a 400 naming each bad one. */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, query: Record<string, string>): z.output<Schema> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ApiError('badRequest', `invalid query: ${problems.join('; ')}`);
}
