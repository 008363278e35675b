import { z } from 'zod';
import { interfaceInfoSchema } from './interface-info.js';

/** robot_answer_type values from the document's enum table (its typo `PROCESS_DOING_UNKOW` included). */
export const answerTypeSchema = z.enum([
  'QA_DIRECT',
  'DOCUMENT_DIRECT',
  'PROCESS',
  'PROCESS_DOING',
  'PROCESS_DOING_UNKOW',
  'PROCESS_DOING_LLM',
  'PROCESS_DOING_QA_GENERAL',
  'PROCESS_DOING_CLEAR',
  'PROCESS_DOING_SLOT_CLEAR',
  'PROCESS_DOING_QA_DIRECT',
  'PROCESS_DOING_DOCUMENT_DIRECT',
  'PROCESS_ERROR',
  'PROCESS_END',
  'PROCESS_VALUE_ERROR',
  'TRANSFER_INTENTION',
  'UNKNOWN',
  'GENERAL',
]);
export type AnswerType = z.output<typeof answerTypeSchema>;

/** The third-party flavour of robot_answer_message_type ("PROCESS_INFO is replaced with THIRD_PROCESS_INFO"). */
const messageTypeSchema = z.enum(['MESSAGE', 'THIRD_ANSWER_INFO', 'THIRD_PROCESS_INFO', 'ERROR_END']);
export type MessageType = z.output<typeof messageTypeSchema>;

/** ThirdAlgorithmRespVo: one item of an answer, an SSE frame or an element of the JSON `data` list. */
export const thirdAlgorithmResponseItemSchema = z.object({
  answer_type: answerTypeSchema,
  robot_answer_message_type: messageTypeSchema,
  lan: z.string(),
  llm_answer: z.string(),
  roundid: z.string(),
  companyid: z.string(),
  runtimeid: z.string().optional(),
  questionid: z.string().optional(),
  success: z.boolean().optional(),
  hit_sensitive_word: z.boolean().optional(),
  message_end: z.boolean(),
  third_interface_info: interfaceInfoSchema.optional(),
  third_processid: z.string().optional(),
  third_nodeid: z.string().optional(),
  third_variable_id: z.string().optional(),
  third_variable_value_enums: z.array(z.string()).optional(),
});
export type ThirdAlgorithmResponseItem = z.output<typeof thirdAlgorithmResponseItemSchema>;

/**
 * The reply envelope, for answers and errors alike. The document's non-streaming example spells the
 * codes `retCode`/`retMsg` while its tables say `ret_code`/`ret_msg`, so both pairs are always sent.
 */
export const envelopeSchema = z.object({
  ret_code: z.string(),
  ret_msg: z.string(),
  retCode: z.string(),
  retMsg: z.string(),
  data: z.array(thirdAlgorithmResponseItemSchema).optional(),
});
export type Envelope = z.output<typeof envelopeSchema>;

export const SUCCESS_CODE = '000000';
