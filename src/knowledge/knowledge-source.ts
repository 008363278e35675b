import type { AnswerEvent, AnswerRequest, AnswerSource, Grounding } from '../answer/answer-source.js';
import { detectLanguage } from '../answer/language.js';
import type { KnowledgeRef } from './knowledge-entry.js';
import { searchKnowledge, share, type KnowledgeHit } from './knowledge-search.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { tokenize } from './tokenize.js';

export interface KnowledgeSettings {
  /** FAQ confidence at or above which the FAQ answer is given directly (QA_DIRECT), without the model. */
  faqDirectThreshold: number;
  /**
   * FAQ confidence at or above which an entry counts as relevant: offered as a suggestion without a model,
   * its answer put into the prompt with one.
   */
  suggestThreshold: number;
  /** Passages (and FAQ answers) put into the model's prompt. */
  maxPassages: number;
  /** Share of the answer's terms found in the given knowledge at or above which it counts as DOCUMENT_DIRECT. */
  groundedThreshold: number;
}

const SUGGESTIONS = 3;
// Two FAQ answers leave the rest of the prompt's knowledge to passages: a third FAQ hit is seldom about the
// question, and a document section usually says more than a short answer.
const MAX_FAQ_IN_PROMPT = 2;
// BM25 can rank a question's own FAQ entry below entries sharing its commoner words ("Do you ship
// internationally?" came fourth), so confidence re-ranks a wider pool than is ever shown.
const FAQ_CANDIDATES = 10;
const INTRO = {
  zh: '我不太确定您的意思，您是想问以下问题吗？',
  en: "I'm not sure I understood. Did you mean one of these?",
};

/**
 * What routing weighs for a question: the FAQ candidates, best first, and up to `passages` passages. BM25 finds
 * the candidates; closeness to a known question orders them and decides a direct answer.
 * `npm run knowledge -- search` shows the same.
 */
export async function findForQuestion(store: KnowledgeStore, query: string, passages: number) {
  const matches = await searchKnowledge(store, query, { faq: FAQ_CANDIDATES, passages });
  return { faq: [...matches.faq].sort((a, b) => b.confidence - a.confidence), passages: matches.passages };
}

/**
 * Answers from the knowledge base first: a confident FAQ hit directly (QA_DIRECT); otherwise the model,
 * given the best passages (DOCUMENT_DIRECT when its answer draws on them, GENERAL when not); with no
 * model, the closest FAQ questions as suggestions, or nothing (the fallback).
 */
export function createKnowledgeSource(options: {
  store: KnowledgeStore;
  llm?: AnswerSource | undefined;
  settings: KnowledgeSettings;
}): AnswerSource {
  const { store, llm, settings } = options;
  return {
    name: llm ? 'knowledge+llm' : 'knowledge',
    answerType: llm?.answerType ?? 'QA_DIRECT',
    async *answer(request, signal): AsyncGenerator<AnswerEvent> {
      const query = request.message.text;
      const { faq, passages } = await findForQuestion(store, query, llm ? settings.maxPassages : 0);
      const best = faq[0];
      if (best && best.confidence >= settings.faqDirectThreshold) {
        yield { type: 'source', ref: toRef(best) };
        for (const line of best.entry.body.split(/(?<=\n)/))
          yield { type: 'text-delta', text: line, answerType: 'QA_DIRECT' };
        yield { type: 'finish', answerType: 'QA_DIRECT', via: 'faq' };
        return;
      }
      if (llm) {
        yield* answerGrounded(llm, request, signal, groundingFrom(faq, passages, settings), settings);
        return;
      }
      const suggestions = faq.filter((hit) => hit.confidence >= settings.suggestThreshold).slice(0, SUGGESTIONS);
      if (suggestions.length === 0) {
        yield { type: 'unanswered' };
        return;
      }
      for (const hit of suggestions) yield { type: 'source', ref: toRef(hit) };
      const intro = detectLanguage(query) === 'zh' ? INTRO.zh : INTRO.en;
      const list = suggestions.map((hit, index) => `${index + 1}. ${hit.entry.title}`).join('\n');
      yield { type: 'text-delta', text: `${intro}\n${list}`, answerType: 'UNKNOWN' };
      yield { type: 'finish', answerType: 'UNKNOWN', success: false, via: 'suggestions' };
    },
  };
}

/** FAQ answers first (they were written to answer questions), then passages, best first. */
function groundingFrom(faq: KnowledgeHit[], passages: KnowledgeHit[], settings: KnowledgeSettings): KnowledgeHit[] {
  const relevantFaq = faq.filter((hit) => hit.confidence >= settings.suggestThreshold).slice(0, MAX_FAQ_IN_PROMPT);
  return [...relevantFaq, ...passages].slice(0, settings.maxPassages);
}

async function* answerGrounded(
  llm: AnswerSource,
  request: AnswerRequest,
  signal: AbortSignal,
  hits: KnowledgeHit[],
  settings: KnowledgeSettings,
): AsyncGenerator<AnswerEvent> {
  // Nothing to ground the answer in: the model's answer as it comes, without a layer to pass it through.
  if (hits.length === 0) {
    yield* llm.answer(request, signal);
    return;
  }
  for (const hit of hits) yield { type: 'source', ref: toRef(hit) };
  const grounding: Grounding[] = hits.map(({ entry }) =>
    entry.kind === 'faq'
      ? { title: `FAQ: ${entry.title}`, text: entry.body }
      : { title: entry.title, text: entry.body },
  );
  const knowledgeTerms = new Set(grounding.flatMap((item) => tokenize(`${item.title}\n${item.text}`)));
  let answer = '';
  for await (const event of llm.answer({ ...request, grounding }, signal)) {
    if (event.type === 'text-delta') answer += event.text;
    if (event.type === 'error') yield { ...event, via: event.via ?? llm.name };
    else if (event.type !== 'finish') yield event;
    else {
      // The model does not say what it used; an answer mostly made of the knowledge's words drew on it.
      const used = share(new Set(tokenize(answer)), knowledgeTerms) >= settings.groundedThreshold;
      yield { ...event, answerType: used ? 'DOCUMENT_DIRECT' : event.answerType, via: event.via ?? llm.name };
    }
  }
}

function toRef(hit: KnowledgeHit): KnowledgeRef {
  const { id, kind, source, title } = hit.entry;
  return { id, kind, source, title, score: Math.round(hit.confidence * 1000) / 1000 };
}
