import { z } from 'zod';
import { interfaceInfoSchema } from './interface-info.js';
import {
  looseRecord,
  looseString,
  normaliseKeys,
  looseBooleanOr,
  optionalInteger,
  optionalList,
  optionalObject,
  optionalString,
} from './loose.js';

/** AnswerVariableInfo / OpenAnswerVariableInfo: a variable Sobot passes about the visitor. */
const variableInfoSchema = z.preprocess(
  normaliseKeys(),
  z.looseObject({
    variable_id: optionalString,
    variable_name: optionalString,
    variable_value: optionalString,
    variable_code: optionalString,
    // CHARACTER, NUMBER, ENUMERATION — or the numeric codes the table also mentions.
    variable_type: optionalString,
  }),
);
export type VariableInfo = z.output<typeof variableInfoSchema>;

/** OpenProcessInfo: which workflow button the visitor pressed (PROCESS_CLICK). */
const processInfoSchema = z.preprocess(
  normaliseKeys(),
  z.looseObject({
    process_id: optionalString,
    node_id: optionalString,
    variable_id: optionalString,
    variable_value: optionalString,
  }),
);
export type ProcessInfo = z.output<typeof processInfoSchema>;

/**
 * One entry of PROCESS_CARD_CLICK's `question`, a JSON list with one per param of the clicked card
 * ("Question Description"): the step, the variable, its value and the button pressed, in either spelling.
 */
export const cardClickEntrySchema = z.preprocess(
  normaliseKeys({ variableid: 'variable_id' }),
  z.looseObject({
    process_id: optionalString,
    node_id: optionalString,
    variable_id: optionalString,
    variable_value: optionalString,
    custom_card_button_name: optionalString,
  }),
);
export type CardClickEntry = z.output<typeof cardClickEntrySchema>;

const requiredId = (name: string) =>
  z
    .union(looseString.options, {
      error: (issue) => (issue.input == null ? `${name} is required` : `${name} must be a string`),
    })
    .pipe(
      z
        .string()
        .trim()
        .min(1, { error: `${name} must not be empty` }),
    );

/**
 * ThirdAlgorithmReqVo: what Sobot POSTs for every visitor message. The table marks most fields required,
 * but only `roundid` and `ai_agent_cid` make a round impossible without them; the rest get defaults.
 */
export const thirdAlgorithmRequestSchema = z.preprocess(
  normaliseKeys({
    round_id: 'roundid',
    company_id: 'companyid',
    robot_id: 'robotid',
    partner_id: 'partnerid',
    runtime_id: 'runtimeid',
    question_id: 'questionid',
  }),
  z.looseObject({
    roundid: requiredId('roundid'),
    ai_agent_cid: requiredId('ai_agent_cid'),
    question: z.preprocess((value) => value ?? '', looseString),
    show_question: optionalString,
    // INPUT, CLICK, PROCESS_CLICK, PROCESS_CARD_CLICK, WELCOME; others are answered like INPUT.
    input_type_enum: z.preprocess((value) => value ?? 'INPUT', looseString),
    msg_type: z.preprocess((value) => value ?? 'TEXT', looseString),
    robotid: optionalString,
    robot_name: optionalString,
    robot_logo: optionalString,
    robot_remark: optionalString,
    robot_model: optionalString,
    companyid: optionalString,
    partnerid: optionalString,
    biz_type: optionalString,
    source_enum: optionalString,
    context_validity_time: optionalInteger.pipe(z.number().min(0, { error: 'must not be negative' }).optional()),
    params: looseRecord,
    multi_params: looseRecord,
    input_variable_infos: optionalList(variableInfoSchema),
    process_info: optionalObject(processInfoSchema),
    interface_info: optionalObject(interfaceInfoSchema),
    runtimeid: optionalString,
    questionid: optionalString,
    req_stream: looseBooleanOr(false),
    copilot: looseBooleanOr(false),
  }),
);
export type ThirdAlgorithmRequest = z.output<typeof thirdAlgorithmRequestSchema>;
