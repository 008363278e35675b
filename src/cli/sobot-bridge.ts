import { Command, InvalidArgumentError } from 'commander';
import { batchCommand } from '../batch/batch-command.js';
import { BatchFileError } from '../batch/batch-cases.js';
import { checkCommand } from '../contract-check/check-command.js';
import { simulate } from '../simulate/simulate.js';

// Operator tooling that plays Sobot: works against this bridge (in-process when no --url is given) or any other
// implementation of the third-party agent contract.
const program = new Command('sobot-bridge')
  .description('Play Sobot against a third-party AI agent URL: chat, check the contract, run batch tests.')
  .showHelpAfterError();

const positiveInteger = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive integer');
  return number;
};

const port = (value: string) => {
  const number = positiveInteger(value);
  if (number > 65535) throw new InvalidArgumentError('must be a port, 1-65535');
  return number;
};

/** The stand-in for Sobot's callback APIs, fixed so that an agent in another process can be pointed at it first. */
const withReceiverOptions = (command: Command) =>
  command
    .option(
      '--receiver-port <port>',
      "port of the stand-in for Sobot's token and callback APIs (default: a free one)",
      port,
    )
    .option('--receiver-key <key>', "its app key, for the agent's SOBOT_APP_KEY (default: a random one)");

withReceiverOptions(
  program
    .command('simulate')
    .description('chat in the terminal as a Sobot visitor; without --url the bridge runs in this process')
    .option('--url <url>', 'the agent URL, as entered in Sobot (may carry ?token=)')
    .option('--token <token>', 'webhook token, sent as ?token=')
    .option('--stream', 'ask for SSE streaming (req_stream: true)', false)
    .option('--copilot', 'copilot rounds: the answer arrives by callback', false)
    .option('--batch', 'mark rounds as a batch test (runtimeid), so batch callbacks are sent', false)
    .option('--debug', "Sobot's debug robot model (THIRD_DEBUG)", false)
    .option('--raw', 'print every item as JSON', false)
    .option('--no-welcome', 'do not ask for the welcome message first')
    .option('--robotid <id>', 'robotid to send (routes to peers by robot)')
    .option('--companyid <id>', 'companyid to send'),
).action(async (options) => {
  process.exitCode = await simulate(options);
});

program
  .command('check')
  .description('contract conformance of an agent URL: named checks, exit code 1 on any failure')
  .argument('[url]', 'the agent URL (may carry ?token=); without it, the bridge in this process')
  .option('--token <token>', 'webhook token; enables the auth checks')
  .option('--question <text>', 'an ordinary question the endpoint should answer', 'Hello, what can you do?')
  .option(
    '--offer-question <text>',
    'a question that makes the endpoint offer buttons or cards (repeatable)',
    collect,
    [],
  )
  .option('--json', 'print the results as JSON', false)
  .action(async (url: string | undefined, options) => {
    process.exitCode = await checkCommand(url, options);
  });

withReceiverOptions(
  program
    .command('batch')
    .description('a Sobot-style batch test from CSV or JSONL, scored, with a JSON and HTML report')
    .argument(
      '<file>',
      'questions: CSV with a header row, or JSONL (question, expected_answer, keywords, expected_type)',
    )
    .option('--url <url>', 'the agent URL; without it, the bridge in this process')
    .option('--token <token>', 'webhook token, sent as ?token=')
    .option('--concurrency <n>', 'questions at once', positiveInteger, 4)
    .option('--stream', 'ask for SSE streaming', false)
    .option('--report <path>', 'report path without extension (.json and .html are written)', 'batch-report')
    .option('--compare <file>', 'a previous report to compare with (default: the one at --report)')
    .option(
      '--callback-wait <seconds>',
      'wait this long for each batch callback (default 10 in-process, 0 with --url)',
      Number,
    )
    .option('--admin-token <token>', "upload the report to the --url bridge's admin console")
    .option('--fail-under <rate>', 'exit 1 when the pass rate is below this fraction (e.g. 0.9)', Number),
).action(async (file: string, options) => {
  // The in-process bridge's database, admin console included, is deleted when the run ends.
  if (options.adminToken && !options.url) {
    program.error('--admin-token needs --url: the bridge whose console keeps the report');
  }
  process.exitCode = await batchCommand(file, options);
});

try {
  await program.parseAsync();
} catch (error) {
  // A broken questions file is the operator's to fix: say where, without a stack.
  if (!(error instanceof BatchFileError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
