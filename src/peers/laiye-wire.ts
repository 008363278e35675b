import { z } from 'zod';

/**
 * What the bridge sends Laiye's open platform (shared/peers.md). Replies have no schema: their shape is
 * not public, so laiye-source walks them for `text.content` and quick replies wherever they are.
 */

/** getReply's body: the visitor and their message as text. */
export const laiyeGetReplySchema = z.object({
  username: z.string(),
  query: z.object({ text: z.object({ content: z.string() }) }),
});

/** users/mutate's body, creating one user. The document's curl example, its JSON broken too, spells `nickename`. */
export const laiyeUsersMutateSchema = z.object({
  operations: z.array(
    z.object({ create: z.object({ username: z.string(), nickname: z.string(), avatarUrl: z.string() }) }),
  ),
});
