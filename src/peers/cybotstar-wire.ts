import { z } from 'zod';

/**
 * CybotStar's dialog on the wire (shared/peers.md; the HTTP side is the vendor's "Robot Dialog
 * Openapi-http" page). Replies are loose objects: fields the bridge does not read pass unchecked, and
 * nulls, which its replies may carry for absent fields, count as absent.
 */

/** The HTTP dialog's body; without `segment_code` CybotStar continues the user's latest session. */
export const cybotstarAskSchema = z.object({
  username: z.string(),
  question: z.string(),
  segment_code: z.string().optional(),
});

/** The WebSocket dialog's first message: the same ask, with the credentials the HTTP side sends as headers. */
export const cybotstarSocketAskSchema = cybotstarAskSchema.extend({
  'cybertron-robot-key': z.string(),
  'cybertron-robot-token': z.string(),
});

export const cybotstarHeartbeatSchema = z.object({ type: z.literal('heartbeat'), data: z.literal('ping') });

export const CYBOTSTAR_OK = '000000';

// Documented as a string ("000000" is success); a number is read as its digits, which are never "000000".
const code = z.union([z.string(), z.number().transform(String)]);
const text = z.string().nullish();
// Neither the HTTP reply nor the frames document `segment_code`: used when it is a string, ignored otherwise.
const segmentCode = z.string().nullish().catch(undefined);

/** A string is the text; an object is a plugin's answer (Markdown, a chart, a web search) or `{type, answer}`. */
const answer = z.union([z.string(), z.looseObject({})]).nullish();

/** `{code, message, data: {type, dialog_id, answer}}`; the document's own example spells `answer` `Answer`. */
export const cybotstarReplySchema = z.looseObject({
  code,
  message: text,
  data: z.looseObject({ segment_code: segmentCode, answer, Answer: answer }).nullish(),
});

// A number, or its digits as a string; a frame without one counts as a text frame.
const frameIndex = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
  z.null().transform(() => 0),
]);

// A frame's labels are read where they are strings; side frames, whose shape is not documented, may carry
// anything under these names, and must not end the dialog for it.
const label = text.catch(undefined);

/**
 * A WebSocket frame, `{code, message, dialog_id, type, index, data, finish}`. Frames with `index` ≥ 0 carry
 * text in `data` (the last, `finish: "y"`, the whole answer); negative indexes are side data whose shape is
 * not documented, so only their index is checked.
 */
export const cybotstarFrameSchema = z
  .looseObject({
    code: code.optional().catch(undefined),
    message: label,
    type: label,
    index: frameIndex.default(0),
    data: z.unknown(),
    finish: label,
    segment_code: segmentCode,
  })
  .refine((frame) => frame.index < 0 || answer.safeParse(frame.data).success, {
    path: ['data'],
    message: 'a text frame carries a string or an answer object',
  });
