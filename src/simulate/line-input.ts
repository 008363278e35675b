import { createInterface } from 'node:readline';
import { isCancel, text } from '@clack/prompts';

/**
 * The visitor's lines: a clack prompt on a terminal, plain lines when stdin is piped (scripts, tests), so the
 * same chat runs both ways. Ends on Ctrl-C, Ctrl-D or the end of the input.
 */
export async function* visitorLines(
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
): AsyncGenerator<string> {
  if (input.isTTY) {
    for (;;) {
      const line = await text({ message: 'You', placeholder: 'a message, a choice number, or /help' });
      if (isCancel(line)) return;
      yield line ?? '';
    }
  }
  for await (const line of createInterface({ input, crlfDelay: Infinity })) yield line;
}
