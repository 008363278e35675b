import { z } from 'zod';

/**
 * tate-a-tate's msg/send on the wire (shared/peers.md, from the vendor's "Send message interface"). Its
 * response parameters are "not available yet": replies follow the document's one example, as loose
 * objects whose nulls count as absent.
 */

/** The request body, as documented; an empty `conversationId` starts a new conversation. */
export const tateSendSchema = z.object({
  conversationId: z.string().optional(),
  msg: z.string(),
  msgType: z.literal(1),
  parentMsgId: z.string(),
  reqModel: z.enum(['sync', 'stream']),
  userAction: z.enum(['new', 'edit', 'retry']),
});

/** The sync reply's `object`, and (undocumented) what each streamed frame carries. */
const tateMessageSchema = z.looseObject({
  msgContent: z.string().nullish(),
  // A string in the example; a number from its Java side is the same id.
  conversationId: z.union([z.string(), z.number().transform(String)]).nullish(),
});

/** `{success, message, code, object, request_id}`; a streamed frame may instead be the bare message. */
export const tateReplySchema = tateMessageSchema.extend({
  success: z.boolean().nullish(),
  message: z.string().nullish(),
  object: tateMessageSchema.nullish(),
});
