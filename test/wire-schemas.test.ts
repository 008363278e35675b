import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, sobotEndpoints } from '../src/config.js';
import { workerVariables } from '../src/runtime/worker-variables.js';
import { interfaceInfoSchema } from '../src/sobot/schemas/interface-info.js';
import { cardClickEntrySchema, thirdAlgorithmRequestSchema } from '../src/sobot/schemas/request.js';

describe('ThirdAlgorithmReqVo', () => {
  it('fills defaults for fields the table calls required but rounds can do without', () => {
    const request = thirdAlgorithmRequestSchema.parse({ roundid: 'r', ai_agent_cid: 'c' });
    expect(request).toMatchObject({
      question: '',
      input_type_enum: 'INPUT',
      msg_type: 'TEXT',
      req_stream: false,
      copilot: false,
    });
  });

  it('reads booleans sent as strings or numbers', () => {
    const parse = (value: unknown) =>
      thirdAlgorithmRequestSchema.parse({ roundid: 'r', ai_agent_cid: 'c', req_stream: value }).req_stream;
    expect([true, 'true', 'TRUE', 1, '1'].map(parse)).toEqual([true, true, true, true, true]);
    expect([false, 'false', 0, '0', null].map(parse)).toEqual([false, false, false, false, false]);
  });

  it('keeps unknown fields and accepts both robot_logo spellings', () => {
    const request = thirdAlgorithmRequestSchema.parse({
      roundid: 'r',
      ai_agent_cid: 'c',
      robotLogo: 'L',
      robotRemark: 'R',
      extra_field: 42,
    });
    expect(request).toMatchObject({ robot_logo: 'L', robot_remark: 'R', extra_field: 42 });
  });

  it('reads ids sent as numbers, nulls as absent, and aliases in either spelling', () => {
    const request = thirdAlgorithmRequestSchema.parse({ roundId: 42, aiAgentCid: 'c', robotid: null, company_id: 7 });
    expect(request).toMatchObject({ roundid: '42', ai_agent_cid: 'c', robotid: undefined, companyid: '7' });
  });

  it('names a missing, null or unreadable id', () => {
    const problem = (roundid: unknown) =>
      thirdAlgorithmRequestSchema.safeParse({ roundid, ai_agent_cid: 'c' }).error?.issues[0]?.message;
    expect([undefined, null, {}, ' '].map(problem)).toEqual([
      'roundid is required',
      'roundid is required',
      'roundid must be a string',
      'roundid must not be empty',
    ]);
  });

  it('reads one object where a list belongs as a list of one, as the tables type them', () => {
    const variable = { variableid: 'v1', param_value: 'blue' };
    const request = thirdAlgorithmRequestSchema.parse({
      roundid: 'r',
      ai_agent_cid: 'c',
      input_variable_infos: variable,
      interface_info: { custom_cards: { custom_menus: { menu_type: 0, menu_name: 'Buy' } } },
    });
    expect(request.input_variable_infos).toEqual([variable]);
    expect(request.interface_info?.custom_cards?.[0]?.custom_menus).toEqual([{ menu_type: 0, menu_name: 'Buy' }]);
  });

  it('reads params that hold nothing as absent, and refuses ones that cannot be a map', () => {
    const parse = (params: unknown) =>
      thirdAlgorithmRequestSchema.safeParse({ roundid: 'r', ai_agent_cid: 'c', params });
    for (const empty of [null, '', 'null', '[]', []]) {
      expect(parse(empty)).toMatchObject({ success: true, data: { params: undefined } });
    }
    expect(parse('{"city":"Beijing"}').data?.params).toEqual({ city: 'Beijing' });
    for (const unreadable of ['city=Beijing', '[1]', [1], 5]) {
      expect(parse(unreadable).error?.issues[0]?.message).toBe('expected an object');
    }
  });

  it('keeps a field named like an Object method as it is, not as an alias', () => {
    // Both ways through the key normalisation: a body all in snake_case, and one with a camelCase key.
    for (const body of [
      { roundid: 'r', ai_agent_cid: 'c', constructor: 'x' },
      { roundId: 'r', ai_agent_cid: 'c', constructor: 'x' },
    ]) {
      const request = thirdAlgorithmRequestSchema.parse(body);
      expect(Object.hasOwn(request, 'constructor') && request.constructor).toBe('x');
    }
  });
});

describe("a card click's question entries", () => {
  it('read in either spelling, with Java numbers as text, and refuse a field that cannot be text', () => {
    const expected = {
      process_id: 'p1',
      node_id: 'n1',
      variable_id: 'v9',
      variable_value: '70',
      custom_card_button_name: 'Buy',
    };
    const camel = { processId: 'p1', nodeId: 'n1', variableId: 'v9', variableValue: 70, customCardButtonName: 'Buy' };
    const snake = {
      process_id: 'p1',
      node_id: 'n1',
      variableid: 'v9',
      variable_value: '70',
      custom_card_button_name: 'Buy',
    };
    expect(cardClickEntrySchema.parse(camel)).toEqual(expected);
    expect(cardClickEntrySchema.parse(snake)).toEqual(expected);
    expect(cardClickEntrySchema.parse({ variableValue: null })).toEqual({ variable_value: undefined });
    expect(cardClickEntrySchema.safeParse({ ...camel, variableValue: { nested: true } }).success).toBe(false);
  });
});

describe('ThirdInterfaceInfo', () => {
  it("normalises Sobot's camelCase click payload to the snake_case we emit", () => {
    const info = interfaceInfoSchema.parse({
      cardStyle: '0',
      cardGuide: 'hello',
      customCards: [
        {
          customCardName: { variableId: 'v1', paramValue: 'mate70' },
          customCardHeader: [{ 'no:': { variableId: null, paramValue: '7' } }],
          customCardNum: null,
          customCardType: null,
          paramInfos: [{ variableId: 'v1', paramValue: 'mate70' }],
          customMenus: [{ menuType: 0, menuName: 'test', menuLink: null }],
        },
      ],
    });
    expect(info).toEqual({
      card_style: '0',
      card_guide: 'hello',
      custom_cards: [
        {
          custom_card_name: { variableid: 'v1', param_value: 'mate70' },
          // Header keys are the customer's own labels and stay exactly as sent.
          custom_card_header: [{ 'no:': { param_value: '7' } }],
          param_infos: [{ variableid: 'v1', param_value: 'mate70' }],
          custom_menus: [{ menu_type: 0, menu_name: 'test' }],
        },
      ],
    });
  });
});

describe('configuration', () => {
  it('has defaults that run with no environment at all', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 8787,
      HOST: '0.0.0.0',
      DATABASE_PATH: './data/bridge.db',
    });
    expect(config.OPENAI_API_KEY).toBeUndefined();
  });

  it("calls Sobot at the document's own URLs unless told otherwise", () => {
    expect(sobotEndpoints(parseConfig({}))).toEqual({
      tokenUrl: 'https://sg.sobot.io/api/get_token',
      copilotCallbackUrl: 'https://api-c.soboten.com/text/ai-agent-open/ask/callback_list',
      batchCallbackUrl: 'https://api-c.soboten.com/text/ai-agent-open/api/kb/question_call_back',
    });
    expect(
      sobotEndpoints(parseConfig({ SOBOT_BASE_URL: 'http://127.0.0.1:9/', SOBOT_TOKEN_URL: 'https://t.example/get' })),
    ).toEqual({
      tokenUrl: 'https://t.example/get',
      copilotCallbackUrl: 'http://127.0.0.1:9/text/ai-agent-open/ask/callback_list',
      batchCallbackUrl: 'http://127.0.0.1:9/text/ai-agent-open/api/kb/question_call_back',
    });
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '', OPENAI_API_KEY: '' })).toMatchObject({ PORT: 8787, OPENAI_API_KEY: undefined });
  });

  it('reads on/off settings in their usual spellings and refuses anything else', () => {
    const tools = (value: string) => parseConfig({ LLM_TOOLS: value }).LLM_TOOLS;
    expect(['true', 'TRUE', '1', 'yes', 'on', ' on '].map(tools)).toEqual([true, true, true, true, true, true]);
    expect(['false', 'False', '0', 'no', 'off'].map(tools)).toEqual([false, false, false, false, false]);
    expect(parseConfig({ LLM_TOOLS: '' }).LLM_TOOLS).toBe(true);
    expect(() => parseConfig({ LLM_TOOLS: 'ture', KNOWLEDGE_WATCH: 'nope' })).toThrow(
      /LLM_TOOLS: must be true or false[\s\S]*KNOWLEDGE_WATCH: must be true or false/,
    );
  });

  it("reads a Worker's [vars] written without quotes, and ignores its bindings", () => {
    const env = { LLM_MAX_CONCURRENCY: 4, LLM_TOOLS: false, OPENAI_MODEL: 'm', DB: { prepare() {} } };
    expect(workerVariables(env)).toEqual({ LLM_MAX_CONCURRENCY: '4', LLM_TOOLS: 'false', OPENAI_MODEL: 'm' });
    expect(parseConfig(workerVariables(env))).toMatchObject({ LLM_MAX_CONCURRENCY: 4, LLM_TOOLS: false });
  });

  it('reads numbers only as plain decimals, log levels in any case, and secrets without the line break echo adds', () => {
    expect(parseConfig({ PORT: ' 8080 ', KNOWLEDGE_FAQ_THRESHOLD: '.7', LOG_LEVEL: 'WARN' })).toMatchObject({
      PORT: 8080,
      KNOWLEDGE_FAQ_THRESHOLD: 0.7,
      LOG_LEVEL: 'warn',
    });
    expect(() => parseConfig({ PORT: '0x1F90', SHUTDOWN_GRACE_MS: '1e3', KNOWLEDGE_FAQ_THRESHOLD: '6e-1' })).toThrow(
      /PORT: must be a whole number[\s\S]*SHUTDOWN_GRACE_MS: must be a whole number[\s\S]*KNOWLEDGE_FAQ_THRESHOLD: must be a number from 0 to 1/,
    );
    expect(() => parseConfig({ OPENAI_BASE_URL: 'ftp://models.example/v1' })).toThrow(
      /OPENAI_BASE_URL: must be an http\(s\) URL/,
    );
    const secrets = parseConfig({
      WEBHOOK_TOKEN: 'hook-secret\n',
      OPENAI_API_KEY: ' sk-test\r\n',
      ADMIN_TOKEN: '0123456789abcdef\n',
      SOBOT_APP_KEY: '\n',
    });
    expect(secrets).toMatchObject({
      WEBHOOK_TOKEN: 'hook-secret',
      OPENAI_API_KEY: 'sk-test',
      ADMIN_TOKEN: '0123456789abcdef',
      SOBOT_APP_KEY: undefined,
    });
  });

  it('names every invalid setting', () => {
    expect(() => parseConfig({ PORT: '70000', LLM_TOTAL_TIMEOUT_MS: 'soon', SOBOT_BASE_URL: 'ftp://x' })).toThrow(
      /PORT[\s\S]*SOBOT_BASE_URL|SOBOT_BASE_URL[\s\S]*PORT/,
    );
    expect(() => parseConfig({ LLM_TOTAL_TIMEOUT_MS: 'soon' })).toThrow(/LLM_TOTAL_TIMEOUT_MS/);
    expect(() => parseConfig({ LLM_FIRST_TOKEN_TIMEOUT_MS: '5000', LLM_TOTAL_TIMEOUT_MS: '1000' })).toThrow(
      /LLM_FIRST_TOKEN_TIMEOUT_MS: must not exceed LLM_TOTAL_TIMEOUT_MS/,
    );
  });

  it('says whether a number is not whole, too small or too big, and from which bound', () => {
    expect(
      configProblems({
        PORT: '99999999999999999999',
        OPENAI_MAX_RETRIES: '6',
        CONTEXT_MAX_TURNS: '2.5',
        CALLBACK_MAX_AGE_SECONDS: '59',
      }),
    ).toEqual([
      'PORT: must be at most 65535',
      'OPENAI_MAX_RETRIES: must be at most 5',
      'CONTEXT_MAX_TURNS: must be a whole number',
      'CALLBACK_MAX_AGE_SECONDS: must be at least 60',
    ]);
    expect(configProblems({ OPENAI_MAX_RETRIES: '-1' })).toEqual(['OPENAI_MAX_RETRIES: must be at least 0']);
    expect(parseConfig({ OPENAI_MAX_RETRIES: '5', CALLBACK_MAX_AGE_SECONDS: '60' })).toMatchObject({
      OPENAI_MAX_RETRIES: 5,
      CALLBACK_MAX_AGE_SECONDS: 60,
    });
  });

  it('refuses a first callback retry delay longer than the longest', () => {
    expect(configProblems({ CALLBACK_RETRY_BASE_MS: '5000', CALLBACK_RETRY_MAX_MS: '1000' })).toEqual([
      'CALLBACK_RETRY_BASE_MS: must not exceed CALLBACK_RETRY_MAX_MS',
    ]);
    // Against the default longest delay (600000) too, and equal delays are a fixed one.
    expect(configProblems({ CALLBACK_RETRY_BASE_MS: '600001' })).toEqual([
      'CALLBACK_RETRY_BASE_MS: must not exceed CALLBACK_RETRY_MAX_MS',
    ]);
    expect(parseConfig({ CALLBACK_RETRY_BASE_MS: '1000', CALLBACK_RETRY_MAX_MS: '1000' })).toMatchObject({
      CALLBACK_RETRY_BASE_MS: 1000,
      CALLBACK_RETRY_MAX_MS: 1000,
    });
  });
});

/** The problems `parseConfig` names for this environment, one per line of its error; none when it is valid. */
function configProblems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
