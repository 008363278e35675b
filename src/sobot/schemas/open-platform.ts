import { z } from 'zod';
import { looseString, normaliseKeys, optionalObject, optionalString } from './loose.js';
import { thirdAlgorithmResponseItemSchema } from './response.js';

/** ThirdCallbackListRespVo, the body of `callback_list`: a copilot round's items, as the round produced them. */
export const copilotCallbackSchema = z.object({ algorithm_resp_vos: z.array(thirdAlgorithmResponseItemSchema) });
export type CopilotCallback = z.output<typeof copilotCallbackSchema>;

/** What Sobot's open platform answers to any call: `ret_code`/`ret_msg`, in either spelling. */
export const openPlatformResultSchema = z.preprocess(
  normaliseKeys(),
  z.looseObject({ ret_code: optionalString, ret_msg: optionalString }),
);
export type OpenPlatformResult = z.output<typeof openPlatformResultSchema>;

/** "Get the Access Token Code" answer: `item.token`, valid `item.expires_in` seconds (sent as a string). */
export const tokenResponseSchema = z.preprocess(
  normaliseKeys(),
  z.looseObject({
    ret_code: optionalString,
    ret_msg: optionalString,
    item: optionalObject(
      z.preprocess(
        normaliseKeys({ expire_in: 'expires_in' }),
        z.looseObject({
          token: looseString.pipe(z.string().min(1)),
          expires_in: z.coerce.number().int().positive().optional(),
        }),
      ),
    ),
  }),
);
