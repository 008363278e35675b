import { spawn } from 'node:child_process';

/**
 * Runs the real `bin/sobot-bridge.js` from the repository root with `lines` piped to stdin, colours off, and no
 * model configured (so an in-process bridge answers from the sample knowledge base and workflows).
 */
export function runCli(
  args: string[],
  lines: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { OPENAI_API_KEY: _key, WEBHOOK_TOKEN: _token, ...inherited } = process.env;
    const child = spawn(process.execPath, ['bin/sobot-bridge.js', ...args], {
      env: { ...inherited, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}
