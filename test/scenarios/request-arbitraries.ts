import fc from 'fast-check';

/**
 * Webhook bodies for the fuzz: anything from arbitrary JSON and raw bytes to requests one wrong type
 * away from valid, clicks carrying garbage, huge and exotic strings, under any content type.
 */
export interface FuzzRequest {
  kind: string;
  body: string | Uint8Array;
  contentType: string | undefined;
  /** Sent without Content-Length, as a chunked stream. */
  chunked: boolean;
}

// A few ids, so cases collide: repeats of a round replay it, several rounds share a conversation.
const roundid = fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8');
const cid = fc.constantFrom('c1', 'c2', 'c3');
const junk = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof(
  fc.constantFrom(
    'How long does shipping take?',
    'recommend',
    'order status',
    'NW-123456',
    'I want to return',
    'human',
    'cancel',
    '1',
    'Camping',
    '退货运费谁出',
    'https://example.com/cat.png',
    'data:image/png;base64,iVBORw0KGgo=',
  ),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Lone surrogates, control characters, anything UTF-16 can hold.
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const booleanish = fc.constantFrom<unknown>(true, false, 'true', 'false', 'TRUE', '1', '0', 1, 0, '', null);
const workflowIds = fc.constantFrom(
  'order-status',
  'product-recommendation',
  'return-request',
  'human-agent',
  'assistant',
);
const nodeIds = fc.constantFrom('ask-activity', 'ask-reason', 'ask-order-number', 'show-products', 'offer');
const variables = fc.constantFrom('activity', 'reason', 'order_no', 'product', 'choice');
const values = fc.oneof(fc.constantFrom('Camping', 'Wrong size', 'TENT-2P', 'Yes, please', '2'), text);

/** Mostly a well-formed value, sometimes one of the wrong type (inside nested objects). */
const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 20 }, { arbitrary: junk as fc.Arbitrary<unknown>, weight: 1 });

const processInfo = fc.record(
  { process_id: field(workflowIds), node_id: field(nodeIds), variable_id: field(variables), variable_value: values },
  { requiredKeys: [] },
);

const cardParam = fc.record({ variableid: field(variables), param_value: field(values) }, { requiredKeys: [] });
const card = fc.record(
  {
    custom_card_name: field(cardParam),
    custom_card_thumbnail: field(cardParam),
    custom_card_amount: field(cardParam),
    custom_card_header: field(fc.array(fc.dictionary(fc.string(), cardParam), { maxLength: 2 })),
    param_infos: field(fc.array(cardParam, { maxLength: 3 })),
    custom_menus: field(
      fc.array(fc.record({ menu_type: field(fc.integer()), menu_name: field(text), menu_link: field(text) })),
    ),
  },
  { requiredKeys: [] },
);
const interfaceInfo = fc.record(
  {
    card_style: field(fc.constantFrom('0', '1', 0, 1)),
    card_type: field(fc.constantFrom('0', '1')),
    card_guide: field(text),
    custom_cards: field(fc.array(card, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);
// PROCESS_CARD_CLICK's question: the JSON list Sobot builds from the clicked card, or garbage.
const cardClickQuestion = fc.oneof(
  fc
    .array(
      fc.record(
        {
          processId: field(workflowIds),
          nodeId: field(nodeIds),
          variableId: field(variables),
          variableValue: field(values),
          customCardButtonName: field(fc.constantFrom('Tell me more', 'Buy')),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    )
    .map((entries) => JSON.stringify(entries)),
  text,
);

const stringMap = fc.dictionary(fc.string(), fc.string(), { maxKeys: 4 });
const requestFields = {
  roundid,
  ai_agent_cid: cid,
  question: text,
  show_question: text,
  input_type_enum: fc.constantFrom(
    'INPUT',
    'CLICK',
    'WELCOME',
    'PROCESS_CLICK',
    'PROCESS_CARD_CLICK',
    'input',
    'SOMETHING_NEW',
  ),
  msg_type: fc.constantFrom('TEXT', 'IMG', 'VIDEO', 'img'),
  req_stream: booleanish,
  copilot: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, booleanish),
  robotid: fc.constantFrom('robot-1', '1234567', 123),
  robot_model: fc.constantFrom('THIRD_STANDARD', 'THIRD_DEBUG', 'SELF_DEBUG'),
  robot_name: text,
  companyid: fc.constantFrom('company-1', 42),
  context_validity_time: fc.oneof(fc.nat(), fc.constant('600')),
  // Some channels send params as a JSON string.
  params: fc.oneof(
    stringMap,
    stringMap.map((map) => JSON.stringify(map)),
  ),
  multi_params: fc.dictionary(fc.string(), junk),
  input_variable_infos: fc.array(
    fc.record({ variable_name: field(text), variable_value: field(text) }, { requiredKeys: [] }),
    { maxLength: 3 },
  ),
  process_info: processInfo,
  interface_info: interfaceInfo,
  runtimeid: fc.constantFrom('run-1', ''),
  questionid: fc.constantFrom('q-1', 7),
};
const fieldNames = Object.keys(requestFields);
// Unknown fields, keys that are dangerous on plain objects, and other spellings of the known ones.
const extraKey = fc.oneof(
  fc.string(),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'round_id', 'roundId', 'ROUNDID'),
  fc.constantFrom('aiAgentCid', 'reqStream', 'processInfo', 'interfaceInfo', 'runtime_id', 'company_id'),
);

const camelCase = (key: string) => key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * A ThirdAlgorithmReqVo with any field maybe missing, up to three of the wrong type, in either spelling,
 * with unknown fields beside.
 */
const nearValid = fc
  .tuple(
    fc.record(requestFields, { requiredKeys: ['roundid', 'ai_agent_cid'] }),
    fc.array(fc.tuple(fc.constantFrom(...fieldNames), junk), { maxLength: 3 }),
    fc.boolean(),
    fc.dictionary(extraKey, junk, { maxKeys: 3 }),
  )
  .map(([request, wrong, camel, extra]) => {
    const fields: Record<string, unknown> = { ...request, ...Object.fromEntries(wrong) };
    const spelled = camel ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [camelCase(k), v])) : fields;
    return { ...extra, ...spelled };
  });

/** A click on buttons or cards, valid-looking around garbage process_info, interface_info and question. */
const click = fc
  .record(
    {
      roundid,
      ai_agent_cid: cid,
      req_stream: booleanish,
      input_type_enum: fc.constantFrom('PROCESS_CLICK', 'PROCESS_CARD_CLICK'),
      process_info: field(processInfo),
      interface_info: field(interfaceInfo),
      question: cardClickQuestion,
      show_question: fc.oneof(
        text,
        interfaceInfo.map((info) => JSON.stringify(info)),
      ),
    },
    { requiredKeys: ['roundid', 'ai_agent_cid', 'input_type_enum'] },
  )
  .map((request) => request as Record<string, unknown>);

/** A valid request with its question (or another text field) blown up past or near the 1 MiB limit. */
const huge = fc
  .tuple(nearValid, fc.integer({ min: 200_000, max: 1_200_000 }), fc.constantFrom('x', '汉', '😀', '\\', '"'))
  .map(([request, length, unit]) => ({ ...request, question: unit.repeat(Math.ceil(length / unit.length)) }));

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=gbk',
  'text/plain',
  'text/event-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  undefined,
);

/** Truncates or splices a valid body: JSON broken somewhere in the middle. */
const brokenJson = fc
  .tuple(nearValid, fc.nat(), fc.constantFrom('', '}', ',', '"', '\u0000', '\\u12', '[', 'NaN', '\uD800'))
  .map(([request, cut, splice]) => {
    const json = JSON.stringify(request);
    const at = cut % (json.length + 1);
    return json.slice(0, at) + splice + json.slice(at + splice.length + 1);
  });

const body = fc.oneof(
  { arbitrary: nearValid.map((value) => ({ kind: 'near-valid', body: JSON.stringify(value) })), weight: 10 },
  { arbitrary: click.map((value) => ({ kind: 'click', body: JSON.stringify(value) })), weight: 5 },
  { arbitrary: fc.json({ maxDepth: 4 }).map((json) => ({ kind: 'any-json', body: json })), weight: 3 },
  { arbitrary: brokenJson.map((json) => ({ kind: 'broken-json', body: json })), weight: 3 },
  { arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => ({ kind: 'bytes', body: bytes })), weight: 2 },
  { arbitrary: huge.map((value) => ({ kind: 'huge', body: JSON.stringify(value) })), weight: 1 },
);

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(body, contentType, fc.integer({ min: 0, max: 9 }))
  .map(([{ kind, body }, type, roll]) => ({ kind, body, contentType: type, chunked: roll === 0 }));
