/** The bridge's own lines in a workflow conversation, in the visitor's language. */
const MESSAGES = {
  en: {
    invalidClick: "Sorry, that option isn't available here. Please choose one of these:",
    nothingPending: 'That choice is no longer available. How else can I help you?',
    invalidAnswer: "Sorry, I didn't get that.",
    handover: "I'm connecting you with a colleague who can help further.",
  },
  zh: {
    invalidClick: '抱歉，这个选项在这里无效，请从以下选项中选择：',
    nothingPending: '这个选项已经失效了。请问还有什么可以帮您？',
    invalidAnswer: '抱歉，没有理解您的回答。',
    handover: '正在为您转接人工客服，请稍候。',
  },
} as const;

export type WorkflowMessages = (typeof MESSAGES)[keyof typeof MESSAGES];

export function workflowMessages(lan: string): WorkflowMessages {
  return lan === 'zh' ? MESSAGES.zh : MESSAGES.en;
}
