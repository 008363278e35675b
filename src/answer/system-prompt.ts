import type { Grounding, PromptFacts } from './answer-source.js';

/**
 * Renders a configured system prompt. Placeholders: {{robot_name}}, {{robot_remark}}, {{visitor_facts}}
 * (a block listing the variables and params Sobot passed), {{variables}}, {{params}}, and
 * {{var.NAME}} / {{param.KEY}} for single values, {{knowledge}} for the knowledge-base passages of this
 * question (appended at the end when the template does not place them). Unknown placeholders render
 * empty, and lines left empty by them are dropped, so one template serves every robot.
 */
export function renderSystemPrompt(template: string, facts: PromptFacts, grounding: Grounding[] = []): string {
  const variables = facts.variables.map((variable) => `- ${variable.name}: ${variable.value}`).join('\n');
  const params = Object.entries(facts.params)
    .map(([key, value]) => `- ${key}: ${formatValue(value)}`)
    .join('\n');
  const visitorFacts = [variables, params].filter(Boolean).join('\n');

  const knowledge = knowledgeBlock(grounding);
  const render = (name: string): string => {
    if (name === 'knowledge') return knowledge;
    if (name === 'robot_name') return facts.robotName || 'the assistant';
    if (name === 'robot_remark') return facts.robotRemark ?? '';
    if (name === 'variables') return variables;
    if (name === 'params') return params;
    if (name === 'visitor_facts') return visitorFacts && `What we know about the visitor:\n${visitorFacts}`;
    if (name.startsWith('var.')) {
      const wanted = name.slice(4);
      return facts.variables.find((variable) => variable.name === wanted)?.value ?? '';
    }
    if (name.startsWith('param.')) return formatValue(facts.params[name.slice(6)]);
    return '';
  };
  const lines: string[] = [];
  for (const line of template.split('\n')) {
    const rendered = line.replace(PLACEHOLDER, (_, name: string) => render(name));
    if (rendered.trim() === '' && PLACEHOLDER_TEST.test(line)) continue;
    lines.push(rendered);
  }
  const prompt = lines.join('\n').trim();
  return knowledge && !/\{\{\s*knowledge\s*\}\}/.test(template) ? `${prompt}\n\n${knowledge}` : prompt;
}

function knowledgeBlock(grounding: Grounding[]): string {
  if (grounding.length === 0) return '';
  const passages = grounding.map((item, index) => `[${index + 1}] ${item.title}\n${item.text}`).join('\n\n');
  return (
    'Answer from the knowledge below when it is relevant to the question, and do not state policies, ' +
    'prices or times it does not give. If it does not cover the question, say so briefly.\n\n' +
    `Knowledge:\n${passages}`
  );
}

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;
const PLACEHOLDER_TEST = /\{\{\s*[\w.-]+\s*\}\}/;

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
